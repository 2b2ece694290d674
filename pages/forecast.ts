import type { JourneyRow } from '../api/schemas';
import { addCalendarDays, londonDateOf, startOfLondonDay } from '../machines/calendar';

/** "30 Nov": the Monday a week begins on. */
const weekLabel = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
});

/**
 * The workload forecast (issue 13 point 4): reviews and monitoring checks falling due per team, per
 * week, for the next 12 weeks, counted from the API's list of open journeys. A row carries its next
 * deadline only, so a journey counts once, in the week of its next review or check.
 */

export const forecastWeeks = 12;
const reviewKinds = new Set([
  'informalReview',
  'firstReview',
  'annualReview',
  'unscheduledReview',
  'reassessment',
]);

export interface Forecast {
  /** the Monday each week starts on (London dates) */
  weeks: { start: string; label: string }[];
  teams: { team: string; reviews: number[]; checks: number[] }[];
}

/** Monday of the week `date` is in. */
function mondayOf(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return addCalendarDays(date, weekday === 0 ? -6 : 1 - weekday);
}

export function workloadForecast(rows: JourneyRow[], now: Date, onlyTeam?: string): Forecast {
  const first = mondayOf(londonDateOf(now.toISOString()));
  const weeks = Array.from({ length: forecastWeeks }, (_, i) => {
    const start = addCalendarDays(first, 7 * i);
    return { start, label: weekLabel.format(new Date(startOfLondonDay(start))) };
  });
  const from = Date.parse(startOfLondonDay(first));
  const until = Date.parse(startOfLondonDay(addCalendarDays(first, 7 * forecastWeeks)));
  const byTeam = new Map<string, { team: string; reviews: number[]; checks: number[] }>();
  for (const row of rows) {
    const kind = row.nextDeadlineKind;
    if (!row.nextDeadlineAt || !kind || (!reviewKinds.has(kind) && kind !== 'monitoringCheck')) continue;
    const due = Date.parse(row.nextDeadlineAt);
    if (due < Math.max(from, now.getTime()) || due >= until) continue;
    const team = row.team ?? '(no team)';
    if (onlyTeam && team !== onlyTeam) continue;
    // a deadline at a London midnight falls on the day before (the end of its due day)
    const week = Math.floor(
      (Date.parse(startOfLondonDay(londonDateOf(new Date(due - 1).toISOString()))) - from) / (7 * 86_400_000),
    );
    if (week < 0 || week >= forecastWeeks) continue;
    const entry = byTeam.get(team) ?? {
      team,
      reviews: Array(forecastWeeks).fill(0),
      checks: Array(forecastWeeks).fill(0),
    };
    (kind === 'monitoringCheck' ? entry.checks : entry.reviews)[week]! += 1;
    byTeam.set(team, entry);
  }
  return { weeks, teams: [...byTeam.values()].sort((a, b) => a.team.localeCompare(b.team)) };
}

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** One team's forecast as a stacked bar chart (reviews, then monitoring checks), SVG. */
export function forecastSvg(forecast: Forecast, team: Forecast['teams'][number], id: string): string {
  const width = 720;
  const height = 240;
  const left = 40;
  const bottom = 50;
  const topPad = 16;
  const totals = team.reviews.map((r, i) => r + team.checks[i]!);
  const max = Math.max(1, ...totals);
  const step = (width - left - 10) / forecastWeeks;
  const barWidth = step * 0.6;
  const scale = (n: number) => (n / max) * (height - bottom - topPad);
  const parts: string[] = [];
  // axis and a few gridlines with their numbers
  const ticks = [...new Set([0, Math.ceil(max / 2), max])];
  for (const t of ticks) {
    const y = height - bottom - scale(t);
    parts.push(
      `<line x1="${left}" x2="${width - 10}" y1="${y}" y2="${y}" stroke="#b1b4b6" stroke-width="1"/>`,
    );
    parts.push(
      `<text x="${left - 6}" y="${y + 4}" text-anchor="end" font-size="12" fill="#0b0c0c">${t}</text>`,
    );
  }
  forecast.weeks.forEach((week, i) => {
    const x = left + i * step + (step - barWidth) / 2;
    const reviews = scale(team.reviews[i]!);
    const checks = scale(team.checks[i]!);
    const base = height - bottom;
    parts.push(
      `<rect x="${x}" y="${base - reviews}" width="${barWidth}" height="${reviews}" fill="#1d70b8"/>`,
      `<rect x="${x}" y="${base - reviews - checks}" width="${barWidth}" height="${checks}" fill="#f47738"/>`,
      `<text x="${x + barWidth / 2}" y="${base + 16}" text-anchor="middle" font-size="11" fill="#0b0c0c">${i + 1}</text>`,
    );
  });
  parts.push(
    `<text x="${left}" y="${height - 14}" font-size="12" fill="#0b0c0c">Week (1 = this week, beginning Monday ${escape(forecast.weeks[0]!.label)})</text>`,
    `<rect x="${width - 300}" y="${height - 26}" width="12" height="12" fill="#1d70b8"/><text x="${width - 284}" y="${height - 16}" font-size="12" fill="#0b0c0c">Reviews</text>`,
    `<rect x="${width - 200}" y="${height - 26}" width="12" height="12" fill="#f47738"/><text x="${width - 184}" y="${height - 16}" font-size="12" fill="#0b0c0c">Monitoring checks</text>`,
  );
  const total = totals.reduce((a, b) => a + b, 0);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" role="img" aria-labelledby="${id}-title">`,
    `<title id="${id}-title">${escape(`Team ${team.team}: ${total} reviews and monitoring checks due in the next ${forecastWeeks} weeks (the numbers are in the table below)`)}</title>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
