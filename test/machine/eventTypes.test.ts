/**
 * Issue 16: the machine reads the event catalogue's names from eventTypes.ts, which holds no zod, so
 * its modules can be shared by every journey in a worker. These hold those names to the schemas.
 */
import { dateFieldsOfSchemas, eventSchemaOf, journeyEventSchemas } from '../../machines/events';
import { journeyEventTypes, localDateFields, systemOnlyEvents } from '../../machines/eventTypes';

describe('the catalogue without its schemas (eventTypes.ts)', () => {
  it('lists every schema’s type, in the catalogue’s order', () => {
    expect(journeyEventSchemas().map((schema) => schema.shape.type.value)).toEqual(journeyEventTypes);
    expect(new Set(journeyEventTypes).size).toBe(journeyEventTypes.length);
    for (const type of systemOnlyEvents) expect(journeyEventTypes).toContain(type);
  });

  it('names each event’s calendar-date fields as its schema has them', () => {
    expect(localDateFields).toEqual(dateFieldsOfSchemas());
    expect(Object.keys(localDateFields).length).toBeGreaterThan(5);
  });

  it('builds each schema once, on first use', () => {
    expect(eventSchemaOf('TRIAGED')).toBe(eventSchemaOf('TRIAGED'));
    expect(eventSchemaOf('TRIAGED').shape.type.value).toBe('TRIAGED');
  });
});
