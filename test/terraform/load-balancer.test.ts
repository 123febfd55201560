import { describe, expect, it } from 'vitest';
import { apiRoute } from '../../local/platform/api-paths.js';
import { tagOfVersion, VERSION_TAG_PREFIX } from '../../shared/domain/version-tag.js';
import { first, loadTfFiles, moduleOf } from './hcl.js';

const files = await loadTfFiles();
const mod = moduleOf(files, '');
const lbFile = files.find((f) => f.path === 'load-balancer.tf');
type Body = Record<string, unknown>;
const resource = (type: string, name: string): Body => {
  const body = mod.resources[type]?.[name];
  if (!body) throw new Error(`${type}.${name} is not declared`);
  return body;
};
const list = (value: unknown): Body[] => (Array.isArray(value) ? (value as Body[]) : []);

/** `${local.lb_tag_prefix}${each.key}` with each.key = version, the way Terraform renders it. */
function renderTag(template: string, version: string): string {
  return template
    .replace('${local.lb_tag_prefix}', String(mod.locals.lb_tag_prefix))
    .replace('${each.key}', version);
}

/**
 * The URL map's routing for `path`, read from the HCL: version rules (one per entry of
 * `versions`, from the dynamic block) by priority, then the static rules, then the default.
 */
function routeByUrlMap(path: string, prefix: string, versions: string[]) {
  const matcher = first(first(resource('google_compute_url_map', 'lb').path_matcher));
  const dynamic = first(list(first(matcher.dynamic).route_rules)[0]?.content);
  const rules = [
    ...[...versions].sort().map((v, i) => ({
      priority: i + 1,
      prefix: String(first(dynamic.match_rules).prefix_match)
        .replace('${local.lb.path_prefix}', prefix)
        .replace('${route_rules.key}', v),
      rewrite: String(first(first(first(dynamic.route_action).url_rewrite)).path_prefix_rewrite),
      backend: String(dynamic.service).replace('route_rules.key', JSON.stringify(v)),
    })),
    ...list(matcher.route_rules).map((r) => ({
      priority: Number(r.priority),
      prefix: String(first(r.match_rules).prefix_match).replace('${local.lb.path_prefix}', prefix),
      rewrite: String(first(first(first(r.route_action).url_rewrite)).path_prefix_rewrite),
      backend: String(r.service),
    })),
  ].sort((a, b) => a.priority - b.priority);
  const rule = rules.find((r) => path.startsWith(r.prefix));
  if (!rule) return { backend: String(matcher.default_service), path };
  return { backend: rule.backend, path: rule.rewrite + path.slice(rule.prefix.length) };
}

describe('terraform load balancer (load-balancer.tf)', () => {
  it('is off by default: every resource is counted or iterated on load_balancer.enabled', () => {
    expect(lbFile).toBeDefined();
    const type = String(mod.variables.load_balancer?.type);
    expect(type).toMatch(/enabled\s*=\s*optional\(bool, false\)/);
    expect(mod.variables.load_balancer?.default).toEqual({});
    expect(String(mod.locals.lb_versions)).toMatch(/local\.lb_enabled \? .* : toset\(\[\]\)/);
    const resources = Object.entries(lbFile?.json.resource ?? {}).flatMap(([t, byName]) =>
      Object.entries(byName as Record<string, Body[]>).map(([n, b]) => [`${t}.${n}`, first(b)] as const),
    );
    expect(resources.length).toBeGreaterThanOrEqual(10);
    for (const [name, body] of resources) {
      const gate = String(body.count ?? body.for_each);
      expect(gate, name).toMatch(/local\.lb_enabled|local\.lb_versions/);
    }
  });

  it('pins one serverless NEG per version to the Cloud Run tag cutover gives that version', () => {
    expect(mod.locals.lb_tag_prefix).toBe(VERSION_TAG_PREFIX);
    const version = resource('google_compute_region_network_endpoint_group', 'lb_version');
    expect(version.for_each).toBe('${local.lb_versions}');
    expect(version.network_endpoint_type).toBe('SERVERLESS');
    expect(version.region).toBe('${var.region}');
    const cloudRun = first(version.cloud_run);
    expect(cloudRun.service).toBe('${google_cloud_run_v2_service.managed[local.lb_service].name}');
    for (const v of ['v1', 'v2', 'v10'])
      expect(renderTag(String(cloudRun.tag), v)).toBe(tagOfVersion(v));
    expect(cloudRun).not.toHaveProperty('url_mask');

    const service = first(resource('google_compute_region_network_endpoint_group', 'lb_service').cloud_run);
    expect(service).toEqual({ service: '${google_cloud_run_v2_service.managed[local.lb_service].name}' });
  });

  it('puts each NEG behind its own EXTERNAL_MANAGED backend without health checks', () => {
    const backends = {
      lb_service: '${google_compute_region_network_endpoint_group.lb_service[0].id}',
      lb_version: '${google_compute_region_network_endpoint_group.lb_version[each.key].id}',
    };
    for (const [name, group] of Object.entries(backends)) {
      const body = resource('google_compute_backend_service', name);
      expect(body.load_balancing_scheme, name).toBe('EXTERNAL_MANAGED');
      expect(first(body.backend).group, name).toBe(group);
      for (const refused of ['health_checks', 'port_name', 'timeout_sec'])
        expect(body, `${name} ${refused}`).not.toHaveProperty(refused);
    }
  });

  it.each([
    ['/api/v2/predict', 'lb_version["v2"]', '/predict'],
    ['/api/v1/healthz', 'lb_version["v1"]', '/healthz'],
    ['/api/predict', 'lb_service[0]', '/predict'],
    ['/api/v9/predict', 'lb_service[0]', '/v9/predict'],
  ])('the URL map sends %s to %s as %s, as the local router does', (path, backend, rewritten) => {
    const versions = ['v1', 'v2'];
    const routed = routeByUrlMap(path, '/api', versions);
    expect(routed).toEqual({
      backend: `\${google_compute_backend_service.${backend}.id}`,
      path: rewritten,
    });
    const local = apiRoute(path, '/api', (v) => versions.includes(v));
    expect(local.path).toBe(rewritten);
    expect(local.kind).toBe(backend.startsWith('lb_version') ? 'version' : 'split');
  });

  it('serves the domain over HTTPS with a managed certificate, and redirects HTTP', () => {
    expect(first(resource('google_compute_managed_ssl_certificate', 'lb').managed).domains).toEqual([
      '${local.lb.domain}',
    ]);
    expect(first(resource('google_compute_url_map', 'lb').host_rule).hosts).toEqual([
      '${local.lb.domain}',
    ]);
    const proxy = resource('google_compute_target_https_proxy', 'lb');
    expect(proxy.url_map).toBe('${google_compute_url_map.lb[0].id}');
    expect(proxy.ssl_certificates).toEqual(['${google_compute_managed_ssl_certificate.lb[0].id}']);
    const https = resource('google_compute_global_forwarding_rule', 'lb_https');
    expect(https).toMatchObject({
      load_balancing_scheme: 'EXTERNAL_MANAGED',
      port_range: '443',
      target: '${google_compute_target_https_proxy.lb[0].id}',
      ip_address: '${google_compute_global_address.lb[0].id}',
    });
    const http = resource('google_compute_global_forwarding_rule', 'lb_http');
    expect(http).toMatchObject({ port_range: '80', ip_address: https.ip_address });
    expect(first(resource('google_compute_url_map', 'lb_redirect').default_url_redirect)).toMatchObject({
      https_redirect: true,
    });
  });

  it('validates its input and outputs the URLs to configure', () => {
    const validations = list(mod.variables.load_balancer?.validation).map((v) => String(v.error_message));
    expect(validations.join('\n')).toMatch(/needs load_balancer.domain and load_balancer.service/);
    expect(validations.join('\n')).toMatch(/version names like v2/);
    expect(String(mod.outputs.load_balancer?.value)).toMatch(/local\.lb_enabled \?/);
  });
});
