import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';

/**
 * The peer store, @event-driven-io/emmett-mongodb, lives in bench/peer with its own node_modules:
 * it takes the mongodb 6 driver as a peer, and installing it at the root would swap the root's
 * driver (7.x, which the project's stores use through mongoose) for 6.x.
 */
export interface Peer {
  readonly name: string;
  readonly version: string;
  readonly emmettVersion: string;
  readonly driverVersion: string;
  /** The peer's exports (untyped here: bench/peer is outside the root type graph). */
  readonly api: any;
  /** The mongodb driver the peer runs on. */
  readonly MongoClient: any;
}

const DIR = path.resolve(__dirname, '..', 'peer');

export function loadPeer(log: (message: string) => void): Peer | { error: string } {
  const marker = path.join(DIR, 'node_modules', '@event-driven-io', 'emmett-mongodb', 'package.json');
  if (!fs.existsSync(marker)) {
    log('installing the peer into bench/peer (npm ci, pinned by bench/peer/package-lock.json)');
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: DIR, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) return { error: `npm ci in bench/peer failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-3).join(' ')}` };
  }
  try {
    const req = createRequire(path.join(DIR, 'package.json'));
    const version = (name: string) => JSON.parse(fs.readFileSync(path.join(DIR, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    return {
      name: '@event-driven-io/emmett-mongodb',
      version: version('@event-driven-io/emmett-mongodb'),
      emmettVersion: version('@event-driven-io/emmett'),
      driverVersion: version('mongodb'),
      api: req('@event-driven-io/emmett-mongodb'),
      MongoClient: req('mongodb').MongoClient,
    };
  } catch (error) {
    return { error: `the peer could not be loaded: ${error instanceof Error ? error.message : String(error)}` };
  }
}
