import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import nunjucks from 'nunjucks';
import { z } from 'zod';
import { letterTitles } from '../activities/letters/documents';
import { personIdSchema } from '../api/schemas';
import type { Caller } from '../api/auth';
import type { PagesApi } from './apiCalls';
import { casePageModel, formPageModel } from './casePage';
import { checkedFirst, consequencesOf, offeredTo } from './eventChoices';
import {
  answersOf,
  checkTyped,
  eventForms,
  problemsFrom,
  withRows,
  type FormProblem,
  type Typed,
} from './eventForms';
import { journeyMapSvg } from './journeyMap';
import { eventInWords } from './words';

/**
 * The case page and the forms that record events on it (pages/index.ts registers them):
 *
 * - GET /cases/{personId}: what must happen next and its form, the other events the signed-in
 *   role may record (each a link to its form), what has been recorded, deadlines, the timeline.
 * - GET /cases/{personId}/events/{type}: one event's form, on a page of its own.
 * - POST /cases/{personId}/events: a form sent. "Add another" and "Remove" (action add:… and
 *   remove:…) show the form again with a row more or less; otherwise what was typed is checked
 *   against the event's schema, and a problem shows the form again with what was typed and each
 *   problem in GOV.UK's words. An event that sends a letter or moves money is shown on a "check your
 *   answers" page first (action check), whose button sends it (action send). Sent, the API and
 *   the journey decide: recorded, back to the case page; refused, the form again with the reasons
 *   against their fields. Nothing is recorded unless the whole event is.
 */

declare module 'fastify' {
  interface Session {
    /** the answers of a form on its "check your answers" page, so "Change" goes back to them */
    formDraft?: { personId: string; type: string; typed: Typed } | undefined;
  }
}

export interface CaseRouteDeps {
  render: (
    reply: FastifyReply,
    template: string,
    context: Record<string, unknown>,
    status?: number,
  ) => FastifyReply | Promise<FastifyReply>;
  signedIn: preHandlerHookHandler;
  csrfProtection: preHandlerHookHandler;
  apiFor: (request: FastifyRequest) => PagesApi;
  callerOf: (request: FastifyRequest) => Caller;
  holidays: ReadonlySet<string>;
}

/** Filters the case templates use: rule ids in a sentence as links to the rule's text. */
export function addCaseFilters(views: nunjucks.Environment, ruleHref: (id: string) => string | undefined) {
  const escape = (text: string) =>
    text.replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
    );
  views.addFilter('ruleLinks', (text: unknown) => {
    const html = escape(String(text ?? '')).replace(/\bR-[A-Z]+-\d+[a-z]?\b/g, (id) => {
      const href = ruleHref(id);
      return href ? `<a class="govuk-link" href="${href}">${id}</a>` : id;
    });
    return new nunjucks.runtime.SafeString(html);
  });
}

/** The form's own fields, without the page's (the CSRF token, which button was pressed). */
function typedOf(body: unknown): Typed {
  const { _csrf: _c, action: _a, ...typed } = (body ?? {}) as Typed;
  return typed;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

export function registerCaseRoutes(app: FastifyInstance, deps: CaseRouteDeps): void {
  const { render, signedIn, csrfProtection, apiFor, callerOf, holidays } = deps;
  const personParams = z.object({ personId: personIdSchema });
  const formParams = personParams.extend({ type: z.string().max(100) });
  const formHref = (personId: string, type: string) =>
    `/cases/${encodeURIComponent(personId)}/events/${type}`;

  app.get('/cases/:personId', { preHandler: signedIn }, async (request, reply) => {
    const { personId } = personParams.parse(request.params);
    const api = apiFor(request);
    const [detail, correspondence, recorded] = await Promise.all([
      api.detail(personId),
      api.correspondence(personId),
      api.recordedEvents(personId),
    ]);
    const model = casePageModel({
      detail,
      recorded,
      correspondence,
      now: new Date(),
      holidays,
      role: callerOf(request).role,
      newEventId: randomUUID(),
    });
    return render(reply, 'case.njk', {
      ...model,
      journeyMap: journeyMapSvg(detail.view.closed ? 'closed' : detail.view.stage),
    });
  });

  /** The page of one event's form; `typed` and `problems` when it is shown again. */
  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    type: string,
    typed: Typed,
    problems: FormProblem[] = [],
    status = 200,
  ) => {
    const detail = await apiFor(request).detail(personId);
    const model = formPageModel({
      detail,
      type,
      typed,
      problems,
      role: callerOf(request).role,
      newEventId: randomUUID(),
      now: new Date(),
      holidays,
    });
    return render(
      reply,
      'event-form.njk',
      { ...model, checkFirst: checkedFirst(type), caseHref: `/cases/${encodeURIComponent(personId)}` },
      status,
    );
  };

  const noForm = (type: string) =>
    Object.assign(new Error(`There is no form for “${eventInWords(type)}”`), { statusCode: 404 });

  app.get('/cases/:personId/events/:type', { preHandler: signedIn }, async (request, reply) => {
    const { personId, type } = formParams.parse(request.params);
    if (!eventForms.has(type)) throw noForm(type);
    // back from "check your answers" ("Change"): the answers given
    const draft = request.session.formDraft;
    const typed = draft && draft.personId === personId && draft.type === type ? draft.typed : {};
    return showForm(request, reply, personId, type, typed);
  });

  app.post('/cases/:personId/events', { preHandler: [signedIn, csrfProtection] }, async (request, reply) => {
    const { personId } = personParams.parse(request.params);
    const body = (request.body ?? {}) as Typed;
    const typed = typedOf(body);
    const type = one(typed.type);
    const form = eventForms.get(type);
    if (!form) throw Object.assign(new Error(`There is no form for “${type}”`), { statusCode: 400 });
    const caller = callerOf(request);
    if (caller.role === 'auditor')
      throw Object.assign(new Error('An auditor reads every journey and records nothing'), {
        statusCode: 403,
      });
    if (!offeredTo(type, caller.role))
      throw Object.assign(new Error(`A ${caller.role} cannot record “${form.title}”`), { statusCode: 403 });
    const api = apiFor(request);
    // out of reach: not found, before anything typed is looked at
    await api.detail(personId);
    const action = one(body.action);

    if (/^(add|remove):/.test(action))
      return showForm(request, reply, personId, type, withRows(typed, action));
    if (action === 'change') return showForm(request, reply, personId, type, typed);

    const { read, problems } = checkTyped(form, typed, caller.role, new Date());
    if (problems.length) return showForm(request, reply, personId, type, typed, problems, 400);

    if (action === 'check') {
      request.session.formDraft = { personId, type, typed };
      const href = formHref(personId, type);
      return render(reply, 'check-answers.njk', {
        title: `Check your answers: ${form.title.toLowerCase()}`,
        formTitle: form.title,
        personId,
        caseHref: `/cases/${encodeURIComponent(personId)}`,
        answers: answersOf(form, read, href),
        consequences: consequencesOf(type, (kind) => letterTitles[kind]),
        hidden: Object.entries(typed).flatMap(([name, value]) =>
          (Array.isArray(value) ? value : [value ?? '']).map((v) => ({ name, value: v })),
        ),
      });
    }

    const answer = await api.sendEvent(personId, read.body);
    if (answer.status === 200) {
      request.session.formDraft = undefined;
      request.session.flash = `${form.title}: recorded.`;
      return reply.redirect(`/cases/${encodeURIComponent(personId)}`, 303);
    }
    // refused or invalid: the form again, with what was typed and each field's problem
    return showForm(
      request,
      reply,
      personId,
      type,
      typed,
      problemsFrom(form, answer.body, typed, read.rows),
      answer.status,
    );
  });
}
