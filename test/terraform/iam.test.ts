import { readFileSync } from 'node:fs';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { loadTfFiles, moduleOf } from './hcl.js';
import { primitiveRoles } from './iam-rules.js';

const files = await loadTfFiles();
const mod = moduleOf(files, '');

describe('terraform IAM', () => {
  it('grants no primitive role anywhere', () => {
    expect(primitiveRoles(files)).toEqual([]);
  });

  it.each([
    ['roles/owner', 'google_project_iam_member'],
    ['roles/editor', 'google_pubsub_topic_iam_member'],
    ['roles/viewer', 'google_project_iam_member'],
  ])('catches %s added to a %s', async (role, type) => {
    const snippet = `resource "${type}" "bad" {\n  role   = "${role}"\n  member = "user:x@example.com"\n}\n`;
    const bad = { path: 'bad.tf', json: await parse('bad.tf', snippet) };
    expect(primitiveRoles([...files, bad])).toEqual([`bad.tf: resource.${type}.bad.0.role: ${role}`]);
  });

  it('does not mistake predefined roles that end in viewer for primitive ones', async () => {
    const snippet = 'resource "google_project_iam_member" "ok" {\n  role = "roles/monitoring.viewer"\n}\n';
    expect(primitiveRoles([{ path: 'ok.tf', json: await parse('ok.tf', snippet) }])).toEqual([]);
  });

  it('uses only additive *_iam_member grants, never authoritative bindings or policies', () => {
    const authoritative = Object.keys(mod.resources).filter((t) => /_iam_(binding|policy)$/.test(t));
    expect(authoritative).toEqual([]);
  });

  it('grants at project level only its own narrow custom roles, and the documented build roles', () => {
    const grants = mod.resources.google_project_iam_member ?? {};
    const { build, ...controller } = grants;
    expect(build?.role).toBe('${each.value}');
    expect(new Set(Object.values(controller).map((b) => b.role))).toEqual(
      new Set([
        '${google_project_iam_custom_role.metrics_reader.name}',
        '${google_project_iam_custom_role.operations_reader.name}',
      ]),
    );
    const roles = mod.resources.google_project_iam_custom_role ?? {};
    expect(roles.metrics_reader?.permissions).toEqual(['monitoring.timeSeries.list']);
    expect(roles.operations_reader?.permissions).toEqual(['run.operations.get']);
  });

  it('uses no broad predefined role for the controller, and no Eventarc receiver', () => {
    const text = files.map((f) => f.text).join('\n');
    const broad = [
      'roles/run.developer',
      'roles/run.admin',
      'roles/monitoring.viewer',
      'roles/eventarc.eventReceiver',
      'roles/iam.serviceAccountUser',
    ];
    for (const role of broad) expect(text, role).not.toContain(`"${role}"`);
    expect(text).not.toMatch(/"roles\/artifactregistry\.(admin|repoAdmin|reader)"/);
  });

  it('administers each managed service on the service itself with exactly the calls the adapter makes', () => {
    const controller = mod.resources.google_cloud_run_v2_service_iam_member?.controller;
    expect(controller?.role).toBe('${google_project_iam_custom_role.run_controller.name}');
    expect(controller?.name).toBe('${google_cloud_run_v2_service.managed[each.value.service].name}');
    expect(mod.locals.run_controller_permissions).toEqual(['run.services.get', 'run.services.update', 'run.revisions.get']);
    // The calls of shared/adapters/gcp/cloud-run-platform.ts, each with the permission it needs.
    const adapter = readFileSync(new URL('../../shared/adapters/gcp/cloud-run-platform.ts', import.meta.url), 'utf8');
    const calls = new Set([...adapter.matchAll(/\.(getService|updateService|getRevision|deleteService|createService|listRevisions)\(/g)].map((m) => m[1]));
    expect(calls).toEqual(new Set(['getService', 'updateService', 'getRevision']));
  });

  it('lets the controller act only as the runtime accounts, through actAs alone', () => {
    const actAs = Object.values(mod.resources.google_service_account_iam_member ?? {}).filter(
      (b) => b.role === '${google_project_iam_custom_role.act_as.name}',
    );
    expect(actAs.map((b) => b.service_account_id)).toEqual(['${google_service_account.runtime[each.value.runtime].name}']);
    expect(mod.resources.google_project_iam_custom_role?.act_as?.permissions).toEqual(['iam.serviceAccounts.actAs']);
  });

  it('tags images only in the configured repository, with the three tag calls the adapter makes', () => {
    const grant = mod.resources.google_artifact_registry_repository_iam_member?.image_tagger;
    expect(grant?.repository).toBe('${var.repository}');
    expect(mod.resources.google_project_iam_custom_role?.image_tagger?.permissions).toBe('${local.image_tagger_permissions}');
    expect(mod.locals.image_tagger_permissions).toEqual([
      'artifactregistry.tags.create',
      'artifactregistry.tags.list',
      'artifactregistry.tags.update',
    ]);
    const adapter = readFileSync(new URL('../../shared/adapters/gcp/artifact-registry.ts', import.meta.url), 'utf8');
    const calls = new Set([...adapter.matchAll(/client\.(\w+)\(/g)].map((m) => m[1]));
    expect(calls).toEqual(new Set(['listTags', 'createTag', 'updateTag']));
  });

  it('lets only a color’s own runtime account write that color’s inference-log bucket', () => {
    const writer = mod.resources.google_storage_bucket_iam_member?.inference_log_writer;
    expect(writer?.for_each).toBe('${local.inference_logs}');
    expect(writer?.bucket).toBe('${google_storage_bucket.inference_log[each.key].name}');
    expect(writer?.member).toBe('serviceAccount:${google_service_account.runtime[each.key].email}');
    expect(mod.resources.google_service_account?.runtime?.for_each).toBe('${local.inference_logs}');
  });

  it('publishes only to named topics', () => {
    for (const [name, grant] of Object.entries(mod.resources.google_pubsub_topic_iam_member ?? {})) {
      expect(grant.role, name).toBe('roles/pubsub.publisher');
      expect(String(grant.topic), name).toMatch(/google_pubsub_topic\.\w+\.(name|id)|each\.value\.topic/);
    }
  });
});
