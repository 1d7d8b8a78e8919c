import type { K8sObject, JsonObject } from '@ck8s/manifest';
import type { RenderContext } from '../component';
import { prometheusRule, renderAlertGroup, type AlertGroup, type AlertTarget } from './rules';
import { alertTarget } from './runbooks';

/** A group with the parameters one cluster renders it with, ready to render for a target. */
export type BoundAlertGroup = (target: AlertTarget) => JsonObject;

/** Binds a group to its parameters (typed: the parameters must be the group's). */
export function alertsWith<P>(group: AlertGroup<P>, params: P): BoundAlertGroup {
  return (target) => renderAlertGroup(group, params, target);
}

/**
 * A component's alert groups as one PrometheusRule in its namespace, evaluated by the cluster's own
 * Prometheus; nothing when the cluster runs no kube-prometheus-stack (no rule would ever be evaluated).
 */
export function alertRules(
  ctx: Pick<RenderContext<unknown>, 'env' | 'cluster' | 'isEnabled'>,
  component: string,
  namespace: string,
  groups: BoundAlertGroup[],
): K8sObject[] {
  if (!ctx.isEnabled('kube-prometheus-stack') || groups.length === 0) return [];
  const target = alertTarget(ctx.env, ctx.cluster);
  return [
    prometheusRule(
      component,
      namespace,
      groups.map((g) => g(target)),
    ),
  ];
}
