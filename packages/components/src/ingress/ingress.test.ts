import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { AUTH_INGRESS_CONTROLLER } from '../lib/ingress';
import { expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { ingress } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const values = (env = testEnvironment(), cluster = 'management') => renderComponent(ingress, env, cluster).values as Any;
const nginx = testEnvironment({ config: { components: { ingress: { controller: 'ingress-nginx', className: 'nginx' } } } });

describe('ingress', () => {
  it('runs Traefik by default with its standard provider on the default class', () => {
    const v = values();
    expect(v.ingressClass).toEqual({ enabled: true, isDefaultClass: true, name: 'traefik' });
    expect(v.providers.kubernetesIngress.enabled).toBe(true);
  });

  it("serves the auth class with Traefik's Ingress NGINX provider, and only that class", () => {
    for (const cluster of ['management', 'workload']) {
      const p = values(testEnvironment(), cluster).providers.kubernetesIngressNGINX;
      expect(p).toMatchObject({ enabled: true, ingressClass: 'traefik-auth', controllerClass: AUTH_INGRESS_CONTROLLER });
      // Never the chart's defaults (class nginx, controller k8s.io/ingress-nginx): those would pick up
      // Ingresses meant for a real ingress-nginx, or every Ingress twice.
      expect(p.controllerClass).not.toBe('k8s.io/ingress-nginx');
      expect(p.watchIngressWithoutClass ?? false).toBe(false);
    }
  });

  it('renders the auth IngressClass through the release, named after the configured class', () => {
    const v = values(testEnvironment({ config: { components: { ingress: { className: 'edge' } } } }));
    expect(v.ingressClass.name).toBe('edge');
    expect(v.extraObjects).toEqual([
      expect.objectContaining({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: expect.objectContaining({ name: 'edge-auth' }),
        spec: { controller: AUTH_INGRESS_CONTROLLER },
      }),
    ]);
    expect(v.providers.kubernetesIngressNGINX.ingressClass).toBe('edge-auth');
  });

  it('publishes the Service address on Ingresses of both providers unless on the host network', () => {
    const service = values(testEnvironment({ config: { network: { loadBalancerMode: 'service' } } }));
    expect(service.providers.kubernetesIngress.publishedService.enabled).toBe(true);
    expect(service.providers.kubernetesIngressNGINX.publishService.enabled).toBe(true);
    const host = values(testEnvironment({ config: { network: { loadBalancerMode: 'host-network' } } }));
    expect(host.providers.kubernetesIngress.publishedService.enabled).toBe(false);
    expect(host.providers.kubernetesIngressNGINX.publishService.enabled).toBe(false);
  });

  it('host-network mode binds node ports 80/443 with host ports, keeping the pods on the pod network', () => {
    const env = testEnvironment({ config: { network: { loadBalancerMode: 'host-network' } } });
    const v = values(env);
    expect(v.deployment.kind).toBe('DaemonSet');
    // NetworkPolicies do not apply to pods in the host's network namespace: allow-web's source
    // ranges and every backend's allow-from-ingress would stop meaning anything.
    expect(v.hostNetwork ?? false).toBe(false);
    expect(v.ports.web.hostPort).toBe(80);
    expect(v.ports.websecure.hostPort).toBe(443);
    // Traefik keeps its unprivileged container ports (8000/8443), so it needs no root or capability.
    expect(v.ports.web.port ?? 8000).toBeGreaterThan(1024);
    expect(v.securityContext ?? {}).not.toHaveProperty('capabilities.add');
    // A surge pod could never bind the node's ports next to the old one.
    expect(v.updateStrategy.rollingUpdate).toEqual({ maxUnavailable: 1, maxSurge: 0 });
    expect(v.service.enabled).toBe(false);
    const web = renderComponent(ingress, env, 'management').objects!.find((o) => o.metadata.name === 'allow-web') as Any;
    expect(web.spec.ingress[0].ports.map((p: Any) => p.port)).toEqual([8000, 8443]);
  });

  it('behind a load balancer, no host ports; the Service keeps client addresses and the source ranges', () => {
    const env = testEnvironment({ config: { network: { loadBalancerMode: 'service', ingressAllowedCidrs: ['192.0.2.0/24'] } } });
    const v = values(env);
    expect(v.deployment).toEqual({ kind: 'Deployment', replicas: 1 });
    expect(v.ports.web.hostPort).toBeUndefined();
    expect(v.updateStrategy).toBeUndefined();
    expect(v.service.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['192.0.2.0/24'] });
    const n = values(
      testEnvironment({
        config: { network: { loadBalancerMode: 'service', ingressAllowedCidrs: ['192.0.2.0/24'] }, components: { ingress: { controller: 'ingress-nginx' } } },
      }),
    );
    expect(n.controller.service).toMatchObject({ enabled: true, externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['192.0.2.0/24'] });
    expect(n.controller.hostPort.enabled).toBe(false);
  });

  it('ingress-nginx in host-network mode uses host ports too, not the host network', () => {
    const v = values(testEnvironment({ config: { network: { loadBalancerMode: 'host-network' }, components: { ingress: { controller: 'ingress-nginx' } } } }));
    expect(v.controller.kind).toBe('DaemonSet');
    expect(v.controller.hostNetwork ?? false).toBe(false);
    expect(v.controller.hostPort).toEqual({ enabled: true, ports: { http: 80, https: 443 } });
    expect(v.controller.service.enabled).toBe(false);
  });

  it('needs no auth class with ingress-nginx, which reads the annotations on its own class', () => {
    const v = values(nginx);
    expect(v.controller.ingressClassResource).toEqual({ name: 'nginx', default: true });
    expect(JSON.stringify(v)).not.toContain('-auth');
  });

  it('sets only keys the Traefik chart declares', () => {
    const pin = chartPin('traefik');
    // `service.spec` is copied into the Service's spec as it is (the chart documents it so).
    const check = { allow: ['service.spec'] };
    for (const mode of ['service', 'host-network', 'node-port']) {
      const env = testEnvironment({ flavor: 'prod', config: { network: { loadBalancerMode: mode } } });
      for (const cluster of ['management', 'workload']) expectKeysInChartValues(values(env, cluster), pin.chart, pin.version, check);
    }
  });
});
