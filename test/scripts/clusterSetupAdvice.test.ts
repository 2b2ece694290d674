/**
 * `npm run setup:cluster`'s advice fits the server it talks to: a council's own Temporal server is
 * told what a self-hosted operator can do (the SQL visibility store's per-namespace limits, the
 * Temporal CLI, a namespace of the journeys' own, Elasticsearch); Temporal Cloud the Cloud way.
 */
import {
  clusterRequirements,
  registrationAdvice,
  serverKindOf,
  slotShortageIn,
} from '../../scripts/clusterSetupAdvice';
import { minimumServerVersion } from '../../runtime/serverVersion';

// The server's own words when a namespace's SQL visibility has no Datetime column left.
const datetimeFull =
  'Unable to create search attributes: cannot have more than 3 search attribute of type Datetime.';

describe('which server the address names', () => {
  it.each([
    ['care.a1b2c.tmprl.cloud:7233', 'temporal-cloud'],
    ['eu-west-2.aws.api.temporal.io:7233', 'temporal-cloud'],
    ['CARE.A1B2C.TMPRL.CLOUD:7233', 'temporal-cloud'],
    ['temporal.council.internal:7233', 'self-hosted'],
    ['127.0.0.1:7233', 'self-hosted'],
    ['tmprl.cloud.example.org:7233', 'self-hosted'],
  ])('%s is %s', (address, kind) => {
    expect(serverKindOf(address)).toBe(kind);
  });
});

describe('reading the refusal', () => {
  it('reads the type and the limit, in either spelling of the type', () => {
    expect(slotShortageIn(datetimeFull)).toEqual({ type: 'Datetime', limit: 3 });
    expect(
      slotShortageIn('cannot have more than 3 search attributes of type INDEXED_VALUE_TYPE_KEYWORD_LIST'),
    ).toEqual({ type: 'KeywordList', limit: 3 });
    expect(slotShortageIn('PermissionDenied: Request unauthorized.')).toBeUndefined();
  });
});

describe('a self-hosted server out of Datetime slots', () => {
  const advice = registrationAdvice({
    address: 'temporal.council.internal:7233',
    namespace: 'default',
    message: datetimeFull,
    othersOfType: ['InvoiceDueAt'],
  });

  it('says the SQL visibility limit per type and what the journeys need of it', () => {
    expect(advice).toMatch(/no Datetime search attribute left/);
    expect(advice).toMatch(/SQL visibility store holds 3 per namespace/);
    expect(advice).toMatch(/Keyword 10/);
    expect(advice).toMatch(
      /the journeys need 3 \(NextDeadlineAt, OverdueSince, LastEventAt\), but InvoiceDueAt already uses 1/,
    );
  });

  it('advises a namespace of their own, the Temporal CLI and Elasticsearch, never Temporal Cloud', () => {
    expect(advice).toMatch(/temporal operator namespace create --namespace care-journeys/);
    expect(advice).toMatch(/TEMPORAL_NAMESPACE=care-journeys/);
    expect(advice).toMatch(/temporal operator search-attribute remove --namespace default --name <Name>/);
    expect(advice).toMatch(/Elasticsearch/);
    expect(advice).not.toMatch(/Cloud|tcld/);
  });
});

describe('Temporal Cloud out of Datetime slots', () => {
  const advice = registrationAdvice({
    address: 'care.a1b2c.tmprl.cloud:7233',
    namespace: 'care.a1b2c',
    message: 'cannot have more than 20 search attribute of type Datetime',
  });

  it('advises the Cloud way: its limit, a Cloud namespace of their own, the Cloud UI or tcld', () => {
    expect(advice).toMatch(/Temporal Cloud allows 20 per namespace/);
    expect(advice).toMatch(/tcld namespace create/);
    expect(advice).toMatch(/tcld namespace search-attributes add --namespace care\.a1b2c/);
    expect(advice).toMatch(/Cloud UI/);
    expect(advice).not.toMatch(/temporal operator|SQL visibility|Elasticsearch/);
  });
});

describe('another failure', () => {
  it('a self-hosted server: the Temporal CLI command for an administrator, with every attribute and type', () => {
    const advice = registrationAdvice({
      address: 'temporal.council.internal:7233',
      namespace: 'care-journeys',
      message: 'PermissionDenied: Request unauthorized.',
    });
    expect(advice).toMatch(
      /temporal operator search-attribute create --namespace care-journeys --name JourneyStage --type Keyword .*--name NextDeadlineAt --type Datetime .*--name OverdueKinds --type KeywordList/,
    );
    expect(advice).not.toMatch(/Cloud|tcld/);
  });

  it('Temporal Cloud: the Cloud UI or tcld, with every attribute and type', () => {
    const advice = registrationAdvice({
      address: 'eu-west-2.aws.api.temporal.io:7233',
      namespace: 'care.a1b2c',
      message: 'PermissionDenied: Request unauthorized.',
    });
    expect(advice).toMatch(/Cloud UI/);
    expect(advice).toMatch(/NextDeadlineAt=Datetime/);
    expect(advice).not.toMatch(/temporal operator/);
  });
});

describe('what every run says about where the journeys live', () => {
  it('self-hosted: a dedicated namespace, and which visibility stores work and why', () => {
    const said = clusterRequirements('self-hosted');
    expect(said).toMatch(/namespace of their own/);
    expect(said).toMatch(/PostgreSQL 12\+ or MySQL 8\.0\.17\+/);
    expect(said).toMatch(/Elasticsearch/);
    expect(said).toMatch(/lists of journeys are visibility queries over these attributes/);
    expect(said).toMatch(/Datetime 3/);
    expect(said).toContain(`Temporal Server ${minimumServerVersion} or later`);
  });

  it('Temporal Cloud: a Cloud namespace of their own', () => {
    const said = clusterRequirements('temporal-cloud');
    expect(said).toMatch(/Temporal Cloud namespace of their own/);
    expect(said).not.toMatch(/Elasticsearch|temporal operator/);
  });
});
