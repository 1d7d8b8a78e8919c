import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../testing';
import { basicAuthIngress, ingressSettings, webIngress } from './ingress';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const spec = { component: 'demo', namespace: 'demo', name: 'demo', host: 'demo.example.com', service: 'demo', port: 8080 };
const management = (config: Record<string, unknown> = {}) => testEnvironment({ config }).clusters.find((c) => c.role === 'management')!;

describe('lib/ingress', () => {
  it("follows the ingress component's settings and defaults", () => {
    expect(ingressSettings(management())).toMatchObject({ controller: 'traefik', className: 'traefik' });
    expect(ingressSettings(management({ components: { ingress: { controller: 'ingress-nginx', className: 'nginx' } } }))).toMatchObject({
      controller: 'ingress-nginx',
      className: 'nginx',
    });
    // A catalog without the ingress component (test catalogs): the schema's defaults, typed the same.
    const bare = management({ components: { ingress: { controller: 'ingress-nginx', className: 'nginx' } } });
    expect(ingressSettings({ ...bare, settings: { ...bare.settings, components: {} } })).toEqual({
      enabled: true,
      controller: 'traefik',
      replicas: 1,
      className: 'traefik',
    });
  });

  it('builds TLS Ingresses on the cluster class with the issuer annotation', () => {
    const ing = webIngress(management(), spec) as Any;
    expect(ing.spec.ingressClassName).toBe('traefik');
    expect(ing.spec.tls).toEqual([{ hosts: ['demo.example.com'], secretName: 'demo-tls' }]);
    expect(ing.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt-staging' });
  });

  it('declares basic auth with the same annotations on both controllers; only the class differs', () => {
    const traefik = basicAuthIngress(management(), { ...spec, secret: 'demo-auth' }) as Any;
    const nginx = basicAuthIngress(management({ components: { ingress: { controller: 'ingress-nginx', className: 'nginx' } } }), {
      ...spec,
      secret: 'demo-auth',
    }) as Any;
    expect(traefik.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt-staging',
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': 'demo-auth',
      'nginx.ingress.kubernetes.io/auth-secret-type': 'auth-file',
      'nginx.ingress.kubernetes.io/auth-realm': 'Authentication required',
    });
    expect(nginx.metadata.annotations).toEqual(traefik.metadata.annotations);
    expect(traefik.spec.ingressClassName).toBe('traefik-auth');
    expect(nginx.spec.ingressClassName).toBe('nginx');
    expect(basicAuthIngress(management({ components: { ingress: { className: 'edge' } } }), { ...spec, secret: 'demo-auth' }).spec).toMatchObject({
      ingressClassName: 'edge-auth',
    });
  });
});
