import { z } from 'zod';
import { defineComponent } from '../lib/component';
import { resources } from '../lib/objects';
import { flavorPresets } from '../lib/presets';

/** Resource metrics API (`kubectl top`, HorizontalPodAutoscalers). Lives in kube-system like upstream. */
export const metricsServer = defineComponent({
  name: 'metrics-server',
  description: 'Serves the resource metrics API for kubectl top and autoscaling',
  roles: ['management', 'workload'],
  namespace: 'kube-system',
  podSecurity: 'privileged',
  chart: 'metrics-server',
  dependsOn: ['namespaces', 'kube-prometheus-stack'],
  controls: ['ISO 27001 A.12.1.3'],
  settings: z.strictObject({
    enabled: z.boolean().default(true).describe('Deploy metrics-server (kubectl top, HorizontalPodAutoscalers)'),
    replicas: z.number().int().min(1).max(5).default(1).describe('metrics-server replicas (a PodDisruptionBudget from 2)'),
    kubeletInsecureTls: z
      .boolean()
      .default(false)
      .describe('Skip kubelet certificate verification (only for clusters whose kubelets serve self-signed certificates)'),
  }),
  defaults: flavorPresets({ production: { replicas: 2 } }),
  render(ctx) {
    const { settings } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const args = ['--kubelet-preferred-address-types=InternalIP,Hostname,ExternalIP'];
    if (settings.kubeletInsecureTls) args.push('--kubelet-insecure-tls');
    return {
      values: {
        replicas: settings.replicas,
        args,
        podDisruptionBudget: { enabled: settings.replicas > 1, minAvailable: 1 },
        resources: resources('50m', '64Mi', '256Mi'),
        metrics: { enabled: monitored },
        serviceMonitor: { enabled: monitored },
      },
    };
  },
});
