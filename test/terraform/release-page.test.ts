import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { first, loadTfFiles, moduleOf } from './hcl.js';
import { reached, ROOT } from './imports.js';

const files = await loadTfFiles();
const mod = moduleOf(files, '');
const ui = files.find((f) => f.path === 'ui.tf');
type Body = Record<string, unknown>;

/** Every resource and data source ui.tf declares, as "type.name" → body. */
function declared(): Record<string, Body> {
  const out: Record<string, Body> = {};
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries((ui?.json[kind] ?? {}) as Record<string, Body>)) {
      for (const [name, bodies] of Object.entries(byName)) out[`${type}.${name}`] = first(bodies);
    }
  }
  return out;
}

/** Whether a path of the compiled package matches the zip's fileset patterns (the subset ui.tf uses). */
function zipped(path: string): boolean {
  const listed = String(mod.locals.release_page_files);
  if (listed.includes(`"${path}"`)) return true;
  const set = /"dist\/\{([a-z,]+)\}\/\*\*\/\*\.js"/.exec(listed)?.[1]?.split(',') ?? [];
  return set.some((folder) => path.startsWith(`dist/${folder}/`) && path.endsWith('.js'));
}

describe('the release page function (terraform/ui.tf)', () => {
  it('is off by default: every resource of ui.tf exists only when release_page.enabled', () => {
    const variable = mod.variables.release_page ?? {};
    expect(variable.default).toEqual({});
    expect(String(variable.type)).toContain('enabled = optional(bool, false)');
    expect(mod.locals.release_page_enabled).toBe('${var.release_page.enabled}');
    const bodies = Object.entries(declared());
    expect(bodies.length).toBeGreaterThanOrEqual(8);
    for (const [name, body] of bodies) {
      expect(String(body.count ?? body.for_each), name).toMatch(/local\.release_page_enabled \?/);
    }
  });

  it('is reachable only through IAM: viewers get run.invoker, allUsers cannot be one', () => {
    const fn = mod.resources.google_cloudfunctions2_function?.release_page ?? {};
    expect(first(fn.build_config).entry_point).toBe('releasePage');
    const viewer = mod.resources.google_cloud_run_v2_service_iam_member?.release_page_viewer ?? {};
    expect(viewer).toMatchObject({
      name: '${google_cloudfunctions2_function.release_page[0].name}',
      role: 'roles/run.invoker',
      member: '${each.value}',
    });
    expect(viewer.for_each).toBe(
      '${local.release_page_enabled ? toset(var.release_page.viewers) : toset([])}',
    );
    const rule = /\^\(([a-zA-Z|]+)\):/.exec(
      String(first(mod.variables.release_page?.validation).condition),
    );
    const allowed = new RegExp(`^(${rule?.[1] ?? ''}):`);
    expect(['user:ana@acme.com', 'group:sre@acme.com'].every((m) => allowed.test(m))).toBe(true);
    expect(['allUsers', 'allAuthenticatedUsers'].some((m) => allowed.test(m))).toBe(false);
    for (const [name, body] of Object.entries(declared())) {
      expect(JSON.stringify(body), name).not.toMatch(/allUsers|allAuthenticatedUsers/);
    }
  });

  it('zips everything ui/function.ts imports, with package.json main pointing at it', () => {
    const imported = [...reached('ui/function.ts', { runtime: true })].map((f) => `dist/${f.replace(/\.ts$/, '.js')}`);
    expect(imported).toContain('dist/ui/server.js');
    expect(imported.filter((f) => !zipped(f))).toEqual([]);
    expect(String(mod.locals.release_page_package)).toContain('{ main = "dist/ui/function.js" }');
    expect(String(mod.locals.release_page_files)).toContain('"ui/assets/*"');
    const source = readFileSync(join(ROOT, 'ui/function.ts'), 'utf8');
    expect(source).toContain("functions.http('releasePage', releasePage)");
  });

  it('reads the services and their time series, and publishes only operator requests', () => {
    expect(mod.resources.google_project_iam_custom_role?.run_reader?.permissions).toEqual([
      'run.revisions.get',
      'run.services.get',
    ]);
    const reader = mod.resources.google_cloud_run_v2_service_iam_member?.release_page_reader ?? {};
    expect(reader.name).toBe('${google_cloud_run_v2_service.managed[each.key].name}');
    expect(mod.resources.google_project_iam_member?.release_page_metrics_reader?.role).toBe(
      '${google_project_iam_custom_role.metrics_reader.name}',
    );
    expect(mod.locals.release_page_topics).toEqual({
      deployment_events: { topic: '${google_pubsub_topic.deployment_events.id}' },
      rollback_requests: { topic: '${google_pubsub_topic.rollback_requests.id}' },
    });
  });
});
