/**
 * No test may reach beyond loopback. This setup file patches the two doors every Node client goes
 * through — `net.Socket.prototype.connect` (used by http, https, http2/grpc-js, tls and undici/fetch)
 * and the `dns` module (callback, promise and Resolver APIs) — so that any other destination throws
 * a NetworkGuardError *before* a socket handle exists or a query is sent.
 *
 * The throw surfaces in the test that caused it (synchronously, or as the client's own error: a
 * rejected fetch, an 'error' event, a gRPC UNAVAILABLE). Because a client may swallow that error,
 * every violation is also recorded, and an `afterAll` fails the file if any were recorded.
 * A test that provokes violations on purpose takes them with `takeViolations()`.
 */
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { afterAll } from 'vitest';

export class NetworkGuardError extends Error {
  constructor(
    readonly kind: 'connect' | 'dns',
    readonly target: string,
  ) {
    super(`network guard: ${kind} to ${target} refused — tests may only reach loopback`);
    this.name = 'NetworkGuardError';
  }
}

interface GuardState {
  installed: boolean;
  violations: NetworkGuardError[];
}

const STATE_KEY = Symbol.for('cutover.network-guard');
const globals = globalThis as unknown as Record<symbol, GuardState | undefined>;
const state: GuardState = (globals[STATE_KEY] ??= { installed: false, violations: [] });

/** Returns the violations recorded so far and forgets them. */
export function takeViolations(): NetworkGuardError[] {
  return state.violations.splice(0);
}

/** True for `localhost`, 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

function refuse(kind: 'connect' | 'dns', target: string): never {
  const error = new NetworkGuardError(kind, target);
  state.violations.push(error);
  throw error;
}

/** The host and port of a `connect(...)` call, or undefined for an IPC path (always allowed). */
function connectTarget(args: unknown[]): { host: string; port: unknown } | undefined {
  let first = args[0];
  if (Array.isArray(first)) first = first[0]; // internal normalized-args form
  if (typeof first === 'object' && first !== null) {
    const opts = first as { path?: unknown; host?: unknown; port?: unknown };
    // http passes its URL fields along with `path: null`; only a string path means IPC.
    if (typeof opts.path === 'string' && opts.port === undefined) return undefined;
    return { host: typeof opts.host === 'string' ? opts.host : 'localhost', port: opts.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // (path, cb)
  const host = typeof args[1] === 'string' ? args[1] : 'localhost';
  return { host, port: first };
}

function guardHost(kind: 'connect' | 'dns', host: unknown, label: string): void {
  if (typeof host !== 'string' || !isLoopback(host)) refuse(kind, label);
}

type AnyFn = (...args: unknown[]) => unknown;

function wrapDnsMethods(target: object, names: string[]): void {
  const record = target as Record<string, AnyFn | undefined>;
  for (const name of names) {
    const original = record[name];
    if (typeof original !== 'function') continue;
    record[name] = function guardedDns(this: unknown, ...args: unknown[]) {
      guardHost('dns', args[0], `${String(args[0])} (dns.${name})`);
      return original.apply(this, args);
    };
  }
}

function install(): void {
  const originalConnect = net.Socket.prototype.connect as unknown as AnyFn;
  (net.Socket.prototype as unknown as { connect: AnyFn }).connect = function guardedConnect(
    this: net.Socket,
    ...args: unknown[]
  ) {
    const target = connectTarget(args);
    if (target) guardHost('connect', target.host, `${target.host}:${String(target.port)}`);
    return originalConnect.apply(this, args);
  };

  const resolveNames = Object.keys(dns).filter((k) => k === 'resolve' || k.startsWith('resolve'));
  const lookups = ['lookup', 'lookupService', ...resolveNames];
  wrapDnsMethods(dns, lookups);
  wrapDnsMethods(dns.promises, lookups);
  const protoNames = (p: object) =>
    Object.getOwnPropertyNames(p).filter((k) => k.startsWith('resolve'));
  wrapDnsMethods(dns.Resolver.prototype, protoNames(dns.Resolver.prototype));
  wrapDnsMethods(dns.promises.Resolver.prototype, protoNames(dns.promises.Resolver.prototype));
  // `import { lookup } from 'node:dns'` bindings are copies: refresh them.
  syncBuiltinESMExports();
}

if (!state.installed) {
  install();
  state.installed = true;
}

afterAll(() => {
  const leaked = takeViolations();
  if (leaked.length > 0) {
    throw new Error(
      `this test file tried to leave loopback ${leaked.length} time(s):\n  ${leaked.map((e) => e.message).join('\n  ')}`,
    );
  }
});
