import { realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { gcsSink } from './gcs-sink.js';
import { InferenceLog } from './inference-log.js';
import { EvenShare, KnobError, readKnobs, type Knobs } from './knobs.js';
import { ModelMetrics } from './metrics.js';
import { leakageProbability, parseFeatures } from './model.js';

const MAX_BODY_BYTES = 64 * 1024;

export interface ModelServerOptions {
  /** Where log lines go (one JSON object each); stdout by default, as Cloud Run collects it. */
  writeLine?: (line: string) => void;
  now?: () => Date;
  /** How `EXTRA_LATENCY_MS` waits; a timer by default. */
  sleep?: (ms: number) => Promise<void>;
  /** Where each prediction is logged for replay (the color's bucket); none by default. */
  inferenceLog?: InferenceLog;
  /** What `GET /metrics` serves; labelled from K_REVISION / K_SERVICE by default. */
  metrics?: ModelMetrics;
}

/** Requests carrying this header are replays (cutover's shadow replay): answered, never logged again. */
export const SHADOW_HEADER = 'x-cutover-shadow';

/** Cloud Logging's structured format: severity and message, payload fields at the top level. */
function logger(writeLine: (line: string) => void, now: () => Date) {
  return (severity: 'INFO' | 'WARNING' | 'ERROR', message: string, fields: object = {}) =>
    writeLine(JSON.stringify({ severity, message, time: now().toISOString(), ...fields }));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Reads the whole body, or null when it is larger than MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const timerSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The model's HTTP server (not yet listening). `POST /predict` answers
 * `{leakage_probability, model_version}` (or the v2 shape `{leak_risk, model_version}` with the risk
 * in percent) and logs one structured line per prediction; `GET /healthz` answers 200.
 */
export function createModelServer(knobs: Knobs, options: ModelServerOptions = {}): Server {
  const now = options.now ?? (() => new Date());
  const log = logger(options.writeLine ?? ((l) => process.stdout.write(l + '\n')), now);
  const sleep = options.sleep ?? timerSleep;
  const errors = new EvenShare(knobs.errorRate);
  let predictions = 0;
  const slowed = new EvenShare(knobs.slowShare);
  const metrics =
    options.metrics ??
    new ModelMetrics({
      revision: process.env.K_REVISION ?? 'local',
      service: process.env.K_SERVICE ?? 'local',
    });
  const common = {
    model_version: knobs.modelVersion,
    inference_log_bucket: knobs.inferenceLogBucket,
  };

  const inferenceLog = options.inferenceLog;
  /** Logs the prediction for replay unless it is one; synchronous, so it never delays the answer. */
  const keep = (
    req: IncomingMessage,
    features: unknown,
    status: number,
    body: unknown,
    started: number,
  ) => {
    if (!inferenceLog || req.headers[SHADOW_HEADER] !== undefined) return;
    inferenceLog.record({
      time: now().toISOString(),
      method: 'POST',
      route: '/predict',
      features,
      response: { status, body },
      model_version: knobs.modelVersion,
      latency_ms: Math.round((performance.now() - started) * 1000) / 1000,
    });
  };

  async function predict(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const text = await readBody(req);
    if (text === null)
      return sendJson(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendJson(res, 400, { error: 'body is not valid JSON' });
    }
    const parsed = parseFeatures(body);
    if (!parsed.ok) {
      log('WARNING', 'invalid prediction input', { ...common, issues: parsed.issues });
      return sendJson(res, 400, { error: 'invalid features', issues: parsed.issues });
    }
    if (knobs.extraLatencyMs > 0 && slowed.next()) await sleep(knobs.extraLatencyMs);
    if (predictions++ >= knobs.errorsAfter && errors.next()) {
      log('ERROR', 'prediction failed (injected by ERROR_RATE)', common);
      const failure = { error: 'model temporarily unavailable' };
      keep(req, parsed.features, 503, failure, started);
      return sendJson(res, 503, failure);
    }
    const probability = leakageProbability(parsed.features, knobs.predictionShift);
    metrics.predicted(probability);
    const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
    log('INFO', 'prediction', {
      ...common,
      leakage_probability: probability,
      latency_ms: latencyMs,
    });
    const answer =
      knobs.responseShape === 'v2'
        ? { leak_risk: Math.round(probability * 1000) / 10, model_version: knobs.modelVersion }
        : { leakage_probability: probability, model_version: knobs.modelVersion };
    keep(req, parsed.features, 200, answer, started);
    sendJson(res, 200, answer);
  }

  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics' && req.method === 'GET') {
      void metrics.text().then((text) => {
        res.writeHead(200, { 'content-type': metrics.contentType() });
        res.end(text);
      });
      return;
    }
    const received = performance.now();
    res.once('finish', () =>
      metrics.request(res.statusCode, (performance.now() - received) / 1000),
    );
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      return sendJson(res, 200, { status: 'ok', model_version: knobs.modelVersion });
    }
    if (path === '/inference-log/stats' && req.method === 'GET') {
      if (!inferenceLog) return sendJson(res, 404, { error: 'INFERENCE_LOG_BUCKET is not set' });
      return sendJson(res, 200, { bucket: knobs.inferenceLogBucket, ...inferenceLog.stats() });
    }
    if (path === '/predict' && req.method === 'POST') {
      predict(req, res).catch((error: unknown) => {
        log('ERROR', 'prediction crashed', { ...common, error: String(error) });
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      });
      return;
    }
    if (path === '/predict' || path === '/healthz')
      return sendJson(res, 405, { error: `${req.method} not allowed on ${path}` });
    sendJson(res, 404, { error: `no route ${path}` });
  });
}

/** Exits when `pid` is gone, checking every `everyMs`; returns a function that stops watching. */
export function watchParent(pid: number, onGone: () => void, everyMs = 250): () => void {
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') onGone();
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

function main(): void {
  let knobs: Knobs;
  try {
    knobs = readKnobs(process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof KnobError ? error.message : String(error)}\n`);
    process.exit(2);
  }
  if (knobs.failStartup) {
    process.stderr.write('FAIL_STARTUP is set: the model exits before it listens\n');
    process.exit(1);
  }
  const log = logger(
    (l) => process.stdout.write(l + '\n'),
    () => new Date(),
  );
  if (knobs.parentPid !== null) {
    watchParent(knobs.parentPid, () => {
      log('WARNING', 'parent process is gone; exiting', { parent_pid: knobs.parentPid });
      process.exit(0);
    });
  }
  const inferenceLog = knobs.inferenceLogBucket
    ? new InferenceLog({
        sink: gcsSink(knobs.inferenceLogBucket),
        instance: `${process.env.K_REVISION ?? 'local'}-${process.pid}`,
        onProblem: (message, fields) =>
          log('WARNING', message, { inference_log_bucket: knobs.inferenceLogBucket, ...fields }),
      })
    : undefined;
  const flushTimer = inferenceLog
    ? setInterval(() => void inferenceLog.flush(), knobs.inferenceLogFlushMs)
    : null;
  flushTimer?.unref();
  const server = createModelServer(knobs, inferenceLog ? { inferenceLog } : {});
  server.on('error', (error) => {
    process.stderr.write(`cannot listen on ${knobs.host}:${knobs.port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(knobs.port, knobs.host, () => {
    log('INFO', 'listening', { port: knobs.port, model_version: knobs.modelVersion });
  });
  // Cloud Run sends SIGTERM before stopping an instance: finish what is in flight, then exit.
  const shutdown = () => {
    if (flushTimer) clearInterval(flushTimer);
    server.close(() => {
      const flushed = inferenceLog?.flush() ?? Promise.resolve();
      void flushed.then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) main();
