import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  DescribeHubCommand,
  InvalidAccessException,
  InvalidInputException,
  type SecurityHubClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-securityhub';
import type { AwsStub } from 'aws-sdk-client-mock';

const LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const REQUIRED = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'Types',
  'CreatedAt',
  'UpdatedAt',
  'Severity',
  'Title',
  'Description',
  'Resources',
] as const;

/** Why Security Hub would refuse this finding (the documented ASFF rules warden's imports rely on), if it would. */
function invalid(f: AwsSecurityFinding): string | undefined {
  for (const k of REQUIRED) if (f[k] === undefined || f[k] === '') return `${k} is required`;
  if (f.SchemaVersion !== '2018-10-08') return 'SchemaVersion must be 2018-10-08';
  const product = /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:(\d{12}):product\/(\d{12})\/default$/.exec(
    f.ProductArn!,
  );
  if (!product) return 'ProductArn is not a default product ARN';
  if (product[1] !== f.AwsAccountId || product[2] !== f.AwsAccountId)
    return 'AwsAccountId must be the account of the default product';
  if (!f.Types?.length || f.Types.some((t) => !/^[^/]+(\/[^/]+){0,2}$/.test(t))) return 'Types invalid';
  if (!LABELS.includes(f.Severity?.Label ?? '')) return 'Severity.Label invalid';
  if (f.Title!.length > 256) return 'Title longer than 256';
  if (f.Description!.length > 1024) return 'Description longer than 1024';
  if (!f.Resources?.length || f.Resources.length > 32 || f.Resources.some((r) => !r.Type || !r.Id))
    return 'Resources invalid';
  if (Number.isNaN(Date.parse(f.CreatedAt!)) || Number.isNaN(Date.parse(f.UpdatedAt!)))
    return 'bad timestamp';
  return undefined;
}

export interface FakeSecurityHub {
  /** Stored findings by Id, as Security Hub holds them after imports and workflow updates. */
  findings: Map<string, AwsSecurityFinding>;
  /** Ids the next imports refuse (FailedFindings), with this error code. */
  refuse: Map<string, string>;
  /** Findings per BatchImportFindings call, in order. */
  importSizes: number[];
  /** Security Hub not enabled: every call fails with InvalidAccessException. */
  disabled: boolean;
}

/**
 * A stateful Security Hub behind aws-sdk-client-mock that honours the API's limits: at most 100 findings per
 * BatchImportFindings and BatchUpdateFindings (else InvalidInputException), per-finding refusals in FailedFindings,
 * the same Id in one call refused, an update kept only if its UpdatedAt is later, Workflow set by an import only when
 * the finding is created, BatchUpdateFindings on an unknown finding left in UnprocessedFindings.
 */
export function fakeSecurityHub(
  stub: AwsStub<ServiceInputTypes, ServiceOutputTypes, SecurityHubClientResolvedConfig>,
): FakeSecurityHub {
  const state: FakeSecurityHub = { findings: new Map(), refuse: new Map(), importSizes: [], disabled: false };
  const denied = () =>
    new InvalidAccessException({ message: 'Account is not subscribed to AWS Security Hub', $metadata: {} });
  stub.on(BatchImportFindingsCommand).callsFake((input: { Findings?: AwsSecurityFinding[] }) => {
    if (state.disabled) throw denied();
    const findings = input.Findings ?? [];
    if (findings.length === 0 || findings.length > 100)
      throw new InvalidInputException({ message: 'Findings must hold 1 to 100 findings', $metadata: {} });
    state.importSizes.push(findings.length);
    const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
    const seen = new Set<string>();
    for (const f of findings) {
      const why = seen.has(f.Id ?? '') ? 'duplicate Id in one request' : invalid(f);
      seen.add(f.Id ?? '');
      const code = state.refuse.get(f.Id ?? '');
      if (why || code) {
        failed.push({ Id: f.Id ?? '', ErrorCode: code ?? 'InvalidInput', ErrorMessage: why ?? 'refused' });
        continue;
      }
      const old = state.findings.get(f.Id!);
      if (old && Date.parse(old.UpdatedAt!) >= Date.parse(f.UpdatedAt!)) continue;
      const workflow = old ? old.Workflow : (f.Workflow ?? { Status: 'NEW' });
      const reopened = old?.RecordState === 'ARCHIVED' && f.RecordState !== 'ARCHIVED';
      state.findings.set(f.Id!, {
        ...f,
        RecordState: f.RecordState ?? 'ACTIVE',
        Workflow: reopened ? { Status: 'NEW' } : workflow,
      });
    }
    return {
      FailedCount: failed.length,
      SuccessCount: findings.length - failed.length,
      FailedFindings: failed,
    };
  });
  stub
    .on(BatchUpdateFindingsCommand)
    .callsFake(
      (input: {
        FindingIdentifiers?: { Id?: string; ProductArn?: string }[];
        Workflow?: { Status?: string };
      }) => {
        if (state.disabled) throw denied();
        const ids = input.FindingIdentifiers ?? [];
        if (ids.length === 0 || ids.length > 100)
          throw new InvalidInputException({
            message: 'FindingIdentifiers must hold 1 to 100',
            $metadata: {},
          });
        const processed = [];
        const unprocessed = [];
        for (const id of ids) {
          const f = state.findings.get(id.Id ?? '');
          if (!f || f.ProductArn !== id.ProductArn) {
            unprocessed.push({
              FindingIdentifier: id,
              ErrorCode: 'FindingNotFound',
              ErrorMessage: 'not found',
            });
            continue;
          }
          f.Workflow = { Status: (input.Workflow?.Status ?? 'NEW') as 'NEW' };
          processed.push(id);
        }
        return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
      },
    );
  stub.on(DescribeHubCommand).callsFake(() => {
    if (state.disabled) throw denied();
    return { HubArn: 'arn:aws:securityhub:eu-west-1:111111111111:hub/default' };
  });
  return state;
}
