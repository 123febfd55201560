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

  it('grants at project level only monitoring reads, event receiving and its own custom roles', () => {
    const roles = Object.values(mod.resources.google_project_iam_member ?? {}).map((b) => b.role);
    expect(new Set(roles)).toEqual(
      new Set([
        'roles/monitoring.viewer',
        'roles/eventarc.eventReceiver',
        '${google_project_iam_custom_role.operations_reader.name}',
      ]),
    );
  });

  it('administers the managed services on the services themselves, as run.developer', () => {
    const controller = mod.resources.google_cloud_run_v2_service_iam_member?.controller;
    expect(controller?.role).toBe('roles/run.developer');
    expect(controller?.name).toBe('${google_cloud_run_v2_service.managed[each.value.service].name}');
  });

  it('lets the controller act only as the services runtime accounts', () => {
    const actAs = Object.values(mod.resources.google_service_account_iam_member ?? {}).filter(
      (b) => b.role === 'roles/iam.serviceAccountUser',
    );
    expect(actAs.map((b) => b.service_account_id)).toEqual([
      '${google_service_account.runtime[each.value.service].name}',
    ]);
  });

  it('tags images only in the configured repository, with a role that cannot push or delete', () => {
    const grant = mod.resources.google_artifact_registry_repository_iam_member?.image_tagger;
    expect(grant?.repository).toBe('${var.repository}');
    const role = mod.resources.google_project_iam_custom_role?.image_tagger;
    const permissions = role?.permissions as string[];
    expect(permissions).toContain('artifactregistry.tags.create');
    expect(permissions.filter((p) => /\.(delete|uploadArtifacts)$/.test(p) || p.startsWith('artifactregistry.repositories.up'))).toEqual([]);
  });

  it('publishes only to named topics', () => {
    for (const [name, grant] of Object.entries(mod.resources.google_pubsub_topic_iam_member ?? {})) {
      expect(grant.role, name).toBe('roles/pubsub.publisher');
      expect(String(grant.topic), name).toMatch(/google_pubsub_topic\.\w+\.(name|id)|each\.value\.topic/);
    }
  });
});
