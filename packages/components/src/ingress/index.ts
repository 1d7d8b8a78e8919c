import type { JsonObject } from '@ck8s/manifest';
import { defineComponent } from '../lib/component';
import { ingressSettingsSchema } from './settings';
import { INGRESS_NAMESPACE } from '../lib/platform-namespaces';
import { alertRules, alertsWith } from '../lib/alerts/component-rules';
import { INGRESS_ALERTS } from './alerts';
import { AUTH_INGRESS_CONTROLLER, HTTPS_EDGE_CONTROLS, authIngressClassName } from '../lib/ingress';
import { allow, meta, netpol, peers, resources } from '../lib/objects';
import { flavorPresets } from '../lib/presets';

const NS = INGRESS_NAMESPACE;

/**
 * The ingress controller. Traefik is the default: ingress-nginx was retired upstream in March 2026,
 * and Traefik serves both the Ingress API that charts emit and the Gateway API. ingress-nginx stays
 * available as an opt-in for clusters that still depend on its annotations.
 *
 * Basic auth (Thanos receive and query, the Alertmanager that workload clusters push to) is declared
 * on the Ingress with ingress-nginx's annotations (`auth-type: basic`, `auth-secret`,
 * `auth-secret-type: auth-file`, `auth-realm`), whichever controller runs: `basicAuthIngress` in
 * lib/ingress.ts builds those Ingresses. With Traefik, its Kubernetes Ingress NGINX provider (out of
 * `experimental` since Traefik 3.6.2; chart 41 has no switch for it) reads these annotations,
 * restricted to a class of its own: `<className>-auth`, whose controller is `AUTH_INGRESS_CONTROLLER`.
 * The standard Ingress provider keeps serving the ordinary class, so no Ingress gets two routers. Why not a Traefik
 * `Middleware`: the same Ingress then works on both controllers, basic auth stays visible on the
 * Ingress that needs it, and no CRD is involved (strict schemas for `traefik.io` kinds are absent from
 * the validation set, so a Middleware could not be validated).
 *
 * The auth IngressClass is rendered by the Traefik release (`extraObjects`), next to the chart's own
 * class: both belong to the controller, and the strict schema set has no IngressClass either.
 *
 * `host-network` mode (no load balancer in front of the cluster) binds every node's ports 80 and 443
 * with `hostPort`s on a DaemonSet, not with the host's network namespace: the pods stay on the pod
 * network, so NetworkPolicies still apply to them (the source ranges of `allow-web`, and the backends'
 * `allow-from-ingress`, which match the ingress namespace and would never match traffic from a node
 * address), Traefik keeps running as non-root on its unprivileged ports, and its metrics port does not
 * collide with node-exporter's 9100 on the host.
 */
export const ingress = defineComponent({
  name: 'ingress',
  description: 'Ingress controller (Traefik by default, ingress-nginx as legacy opt-in)',
  roles: ['management', 'workload'],
  namespace: NS,
  // host-network mode binds node ports 80/443 (hostPort), which only the privileged level allows.
  podSecurity: 'privileged',
  chart: (s) => (s.controller === 'ingress-nginx' ? 'ingress-nginx' : 'traefik'),
  dependsOn: ['namespaces', 'kube-prometheus-stack'],
  providesApiGroups: ['traefik.io', 'hub.traefik.io'],
  alerts: [INGRESS_ALERTS],
  controls: HTTPS_EDGE_CONTROLS,
  settings: ingressSettingsSchema,
  defaults: flavorPresets({ production: { replicas: 2 } }),
  render(ctx) {
    const { settings, cluster } = ctx;
    const mode = cluster.settings.network.loadBalancerMode;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const cidrs = cluster.settings.network.ingressAllowedCidrs;
    const values = settings.controller === 'traefik' ? traefikValues(settings, mode, monitored, cidrs) : nginxValues(settings, mode, monitored, cidrs);
    const webPorts = settings.controller === 'traefik' ? [{ port: 8000 }, { port: 8443 }] : [{ port: 80 }, { port: 443 }];
    return {
      values,
      objects: [
        ...alertRules(ctx, 'ingress', NS, [alertsWith(INGRESS_ALERTS, { controller: settings.controller })]),
        netpol.allowIngress('ingress', NS, 'allow-web', cluster.settings.network.ingressAllowedCidrs.map(peers.cidr), webPorts),
        allow.apiServer('ingress', cluster, NS),
        // The controller proxies to backends in any namespace; their own policies decide what to accept.
        netpol.allowEgress('ingress', NS, 'allow-backends', [{ namespaceSelector: {} }], []),
        ...(monitored ? [allow.fromMonitoring('ingress', NS, [{ port: settings.controller === 'traefik' ? 9100 : 10254 }])] : []),
      ],
    };
  },
});

type Settings = { replicas: number; className: string };

/** Node ports the controller binds in `host-network` mode. */
const NODE_PORTS = { http: 80, https: 443 } as const;

function traefikValues(s: Settings, mode: string, monitored: boolean, cidrs: string[]): JsonObject {
  const onNodes = mode === 'host-network';
  return {
    deployment: onNodes ? { kind: 'DaemonSet' } : { kind: 'Deployment', replicas: s.replicas },
    // A second pod on a node cannot bind the same host ports: replace node by node, never surge.
    ...(onNodes ? { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } } : {}),
    ingressClass: { enabled: true, isDefaultClass: true, name: s.className },
    providers: {
      kubernetesIngress: { enabled: true, publishedService: { enabled: !onNodes } },
      kubernetesCRD: { enabled: true },
      // Ingresses with ingress-nginx annotations (basic auth), only those of the auth class.
      kubernetesIngressNGINX: {
        enabled: true,
        ingressClass: authIngressClassName(s.className),
        controllerClass: AUTH_INGRESS_CONTROLLER,
        publishService: { enabled: !onNodes },
      },
    },
    extraObjects: [authIngressClass(s.className)],
    ports: {
      web: { ...(onNodes ? { hostPort: NODE_PORTS.http } : {}), http: { redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } } },
      websecure: { ...(onNodes ? { hostPort: NODE_PORTS.https } : {}), http: { tls: { enabled: true } } },
    },
    service: onNodes
      ? { enabled: false }
      : {
          enabled: true,
          spec: {
            type: mode === 'node-port' ? 'NodePort' : 'LoadBalancer',
            ...(mode === 'service' ? { externalTrafficPolicy: 'Local', loadBalancerSourceRanges: cidrs } : {}),
          },
        },
    podDisruptionBudget: { enabled: !onNodes && s.replicas > 1, minAvailable: 1 },
    metrics: { prometheus: { serviceMonitor: { enabled: monitored } } },
    resources: resources('100m', '128Mi', '512Mi'),
    accessLog: { enabled: true, format: 'json' },
  };
}

/** The class Traefik's Ingress NGINX provider serves (see the component's comment). */
function authIngressClass(className: string): JsonObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: meta('ingress', authIngressClassName(className)),
    spec: { controller: AUTH_INGRESS_CONTROLLER },
  } as JsonObject;
}

function nginxValues(s: Settings, mode: string, monitored: boolean, cidrs: string[]): JsonObject {
  const onNodes = mode === 'host-network';
  return {
    controller: {
      kind: onNodes ? 'DaemonSet' : 'Deployment',
      replicaCount: s.replicas,
      // Same reasons as Traefik's: host ports keep the pods on the pod network, under NetworkPolicies.
      hostPort: { enabled: onNodes, ports: NODE_PORTS },
      ingressClassResource: { name: s.className, default: true },
      service: {
        enabled: !onNodes,
        type: mode === 'node-port' ? 'NodePort' : 'LoadBalancer',
        // As with Traefik: client addresses reach the pods, so allow-web's source ranges can match them.
        ...(mode === 'service' ? { externalTrafficPolicy: 'Local', loadBalancerSourceRanges: cidrs } : {}),
      },
      metrics: { enabled: monitored, serviceMonitor: { enabled: monitored } },
      resources: resources('100m', '128Mi', '512Mi'),
    },
  };
}
