import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The binary tools/toolchain/install.sh builds: embedded etcd + kube-apiserver in one process. */
export const CONTROL_PLANE_TOOL = 'kube-apiserver-e2e';

/** A running throwaway API server on loopback, with an admin token and the CA to trust. */
export interface ControlPlane {
  server: string;
  token: string;
  /** PEM of the generated self-signed serving certificate (and its CA). */
  ca: string;
  kubeconfig: string;
  /** Startup time until /readyz answered ok, ms. */
  startupMs: number;
  logFile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Until /readyz must answer ok. The first start on a slow disk takes ~20 s. */
  readyTimeoutMs?: number;
  /** The server exits by itself after this long, whatever happens to the test (Go duration). */
  maxLifetime?: string;
  /** Keep the data directory (logs) after stop, for debugging. */
  keep?: boolean;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** GET /readyz with the admin token; resolves to the HTTP status (0 when the connection failed). */
function readyz(server: string, token: string, ca: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      `${server}/readyz`,
      { headers: { authorization: `Bearer ${token}` }, ca, rejectUnauthorized: ca !== undefined, timeout: 5000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function tail(file: string, lines = 30): string {
  return (readOrUndefined(file) ?? '').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Ends the server's whole process group (it was started detached): TERM, then KILL after a grace period. */
async function stopGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function kubeconfigYaml(server: string, ca: string, token: string): string {
  const caData = Buffer.from(ca).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `  - name: e2e\n    cluster:\n      server: ${server}\n      certificate-authority-data: ${caData}`,
    'users:',
    `  - name: e2e-admin\n    user:\n      token: ${token}`,
    'contexts:',
    '  - name: e2e\n    context:\n      cluster: e2e\n      user: e2e-admin',
    'current-context: e2e',
    '',
  ].join('\n');
}

/**
 * Starts kube-apiserver (with its embedded etcd) on a free loopback port: a generated self-signed serving
 * certificate (kube-apiserver writes it to --cert-dir), a static admin token in group system:masters, a
 * generated service-account signing key. Resolves when /readyz answers 200. The server also exits by
 * itself when this process dies (its standard input closes) or after maxLifetime.
 */
export async function startControlPlane(binary: string, options: StartOptions = {}): Promise<ControlPlane> {
  // A free port can be taken by another process between our probe and the server's bind: try again then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, options);
    } catch (e) {
      if (attempt >= 3 || !(e instanceof PortTakenError)) throw e;
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(binary: string, options: StartOptions): Promise<ControlPlane> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'ck8s-apiserver-'));
  const token = randomBytes(24).toString('hex');
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(dir, 'tokens.csv'), `${token},e2e-admin,e2e-admin,"system:masters"\n`, { mode: 0o600 });
  const port = await freePort();
  const server = `https://127.0.0.1:${port}`;
  const logFile = join(dir, 'apiserver.log');
  const log = openSync(logFile, 'a');
  const args = [
    `--data-dir=${join(dir, 'data')}`,
    `--max-lifetime=${options.maxLifetime ?? '45m'}`,
    '--',
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    `--cert-dir=${join(dir, 'certs')}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    `--service-account-key-file=${join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
    '--service-account-issuer=https://kubernetes.default.svc',
    // Only an allocation range for Service IPs; nothing is routed.
    '--service-cluster-ip-range=10.96.0.0/16',
    '--allow-privileged=true',
    '--profiling=false',
    '--v=1',
  ];
  // detached: its own process group, so stop() reaches every child; stdin is a pipe that closes when we die.
  const child = spawn(binary, args, { detached: true, stdio: ['pipe', log, log] });
  closeSync(log);
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    exit = `exited with ${signal ?? code}`;
  });
  const cleanup = () => {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  };
  const stop = async () => {
    await stopGroup(child);
    cleanup();
  };

  const deadline = started + (options.readyTimeoutMs ?? 180_000);
  const certFile = join(dir, 'certs', 'apiserver.crt');
  for (;;) {
    if (exit) {
      const log = tail(logFile);
      cleanup();
      const why = `kube-apiserver-e2e ${exit} before it was ready:\n${log}`;
      throw /address already in use/.test(log) ? new PortTakenError(why) : new Error(why);
    }
    const ca = readOrUndefined(certFile);
    if (ca && (await readyz(server, token, ca)) === 200) {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, kubeconfigYaml(server, ca, token), { mode: 0o600 });
      return { server, token, ca, kubeconfig, startupMs: Date.now() - started, logFile, stop };
    }
    if (Date.now() > deadline) {
      const why = `kube-apiserver-e2e not ready after ${Math.round((Date.now() - started) / 1000)} s:\n${tail(logFile)}`;
      await stop();
      throw new Error(why);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
