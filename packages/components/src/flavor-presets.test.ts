import { describe, expect, it } from 'vitest';
import { FLAVORS, type EnvironmentConfig, type Flavor } from '@ck8s/config';
import { CATALOG, componentSettings } from './catalog';
import { testEnvironment, renderContext } from './testing';
import { dex } from './dex';

/** Everything a component produces on every cluster of `env`, for comparison. */
function outputs(env: EnvironmentConfig) {
  return env.clusters.flatMap((cluster) =>
    CATALOG.filter((c) => c.roles.includes(cluster.role) && componentSettings(c, cluster.settings.components)?.enabled).map((c) => {
      const ctx = renderContext(c, env, cluster.name);
      return { cluster: cluster.name, component: c.name, output: c.render(ctx), secrets: c.secrets?.(ctx) ?? [] };
    }),
  );
}

const relabel = (env: EnvironmentConfig, flavor: Flavor): EnvironmentConfig => ({ ...env, flavor });

describe('flavor presets', () => {
  it('are settings of their own component (a preset key the schema lacks would fail every environment of that flavor)', () => {
    for (const c of CATALOG) {
      for (const [flavor, preset] of Object.entries(c.defaults ?? {})) {
        const parsed = c.settings.safeParse(preset);
        expect(parsed.error?.issues ?? [], `${c.name} preset ${flavor}`).toEqual([]);
      }
    }
  });

  // The flavor reaches rendering only through the settings its presets fill in: a render function
  // that branched on the flavor would render the same settings differently under another label.
  it.each(FLAVORS)('leave nothing to the flavor itself: %s settings render the same under every flavor label', (flavor) => {
    // Static passwords are the one invariant rendering enforces itself (see the next test).
    const env = testEnvironment({ flavor, config: { components: { dex: { staticPasswords: false } } } });
    const expected = outputs(env);
    for (const other of FLAVORS.filter((f) => f !== flavor)) {
      expect(outputs(relabel(env, other)), `${flavor} settings rendered as ${other}`).toEqual(expected);
    }
  });

  it('except Dex static passwords: rendering drops them outside dev even when a caller skips the config check', () => {
    const env = testEnvironment({ flavor: 'dev' });
    const staticLogin = (e: EnvironmentConfig) => {
      const ctx = renderContext(dex, e, 'management');
      const config = (dex.render(ctx).values as { config: { enablePasswordDB: boolean } }).config;
      return { passwordDB: config.enablePasswordDB, secret: (dex.secrets?.(ctx) ?? []).some((s) => s.name === 'dex-static-password') };
    };
    expect(staticLogin(env)).toEqual({ passwordDB: true, secret: true });
    expect(staticLogin(relabel(env, 'prod'))).toEqual({ passwordDB: false, secret: false });
  });
});
