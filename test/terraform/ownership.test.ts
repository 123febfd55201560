import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_WRITES, templateFrom } from '../../shared/adapters/gcp/cloud-run-template.js';
import { first, loadTfFiles, moduleOf, TERRAFORM_DIR } from './hcl.js';

const mod = moduleOf(await loadTfFiles(), '');
const managed = mod.resources.google_cloud_run_v2_service?.managed ?? {};
const ignored = (first(managed.lifecycle).ignore_changes as string[]).map((p) =>
  p.replace(/^\$\{|\}$/g, ''),
);

/** The README's "Who owns what" rows: field → how Terraform leaves cutover's value alone. */
function ownershipTable(): Map<string, { owner: string; kept: string }> {
  const readme = readFileSync(join(TERRAFORM_DIR, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Who owns what'));
  const table = section.slice(0, section.indexOf('\n## ', 3));
  const rows = new Map<string, { owner: string; kept: string }>();
  for (const line of table.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const fields = [...(cells[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    for (const field of fields) rows.set(field, { owner: cells[2] ?? '', kept: cells[4] ?? '' });
  }
  return rows;
}

/** Service-level fields every cutover write sets (cloud-run-platform.ts `write`). */
const SERVICE_WRITES = ['traffic', 'annotations["cutover.dev/*"]'];

/** Provider attribute paths where templateFrom's result differs from the service template. */
function templateChanges(): string[] {
  const service = {
    revision: 'svc-00003-abc',
    serviceAccount: 'blue@p.iam.gserviceaccount.com',
    labels: { team: 'ml', 'cutover-color': 'blue' },
    scaling: { minInstanceCount: 1, maxInstanceCount: 4 },
    containers: [
      {
        image: 'repo:1',
        env: [
          { name: 'INFERENCE_LOG_BUCKET', value: 'b-blue' },
          { name: 'COMMON', value: 'x' },
        ],
        resources: { limits: { cpu: '1', memory: '512Mi' } },
      },
    ],
  };
  const made = templateFrom(service, {
    revision: 'svc-r2',
    from: 'svc-00003-abc',
    image: 'repo@sha256:2',
    env: { INFERENCE_LOG_BUCKET: 'b-green' },
    color: 'green',
    serviceAccount: 'green@p.iam.gserviceaccount.com',
  });
  const changed: string[] = [];
  if (made.revision !== service.revision) changed.push('template[0].revision');
  if (made.serviceAccount !== service.serviceAccount) changed.push('template[0].service_account');
  if (JSON.stringify(made.labels) !== JSON.stringify(service.labels)) changed.push('template[0].labels');
  if (JSON.stringify(made.scaling) !== JSON.stringify(service.scaling)) changed.push('template[0].scaling');
  const [before] = service.containers;
  const [after] = made.containers ?? [];
  if (after?.image !== before?.image) changed.push('template[0].containers[0].image');
  before?.env.forEach((e, i) => {
    if (JSON.stringify(after?.env?.[i]) !== JSON.stringify(e)) changed.push(`template[0].containers[0].env[${i}]`);
  });
  if (JSON.stringify(after?.resources) !== JSON.stringify(before?.resources))
    changed.push('template[0].containers[0].resources');
  return changed;
}

describe('who owns what', () => {
  const table = ownershipTable();

  it('lists in the README exactly the fields the module ignores, as ignored', () => {
    const listedIgnored = [...table].filter(([, r]) => r.kept.includes('ignore_changes')).map(([f]) => f);
    expect(listedIgnored.sort()).toEqual([...ignored].sort());
  });

  it('lists every field cutover writes, each ignored by the module or restored by cutover', () => {
    const written = [...TEMPLATE_WRITES, 'template[0].revision', ...SERVICE_WRITES];
    for (const field of written) {
      const row = table.get(field);
      expect(row, field).toBeDefined();
      expect(row!.owner, field).toMatch(/cutover/);
      const kept = row!.kept;
      if (ignored.includes(field)) expect(kept, field).toContain('ignore_changes');
      else expect(kept, field).toMatch(/restored by cutover|not managed by the provider/);
    }
    for (const field of TEMPLATE_WRITES) expect(ignored, field).toContain(field);
  });

  it('matches what the adapter really changes in the service template on a deploy', () => {
    expect(templateChanges().sort()).toEqual([...TEMPLATE_WRITES, 'template[0].revision'].sort());
  });

  it('leaves no cutover.dev/ annotation in the module’s configuration', () => {
    expect(JSON.stringify(managed)).not.toContain('cutover.dev/');
  });
});
