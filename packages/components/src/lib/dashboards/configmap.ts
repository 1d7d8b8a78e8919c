import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { meta } from '../objects';

/** The label Grafana's dashboard sidecar selects ConfigMaps by (both charts' default name), and its value. */
export const DASHBOARD_LABEL = 'grafana_dashboard';
export const DASHBOARD_LABEL_VALUE = '1';
/** The annotation naming the Grafana folder a dashboard goes to. */
export const DASHBOARD_FOLDER_ANNOTATION = 'grafana_folder';
/** The folder of the platform's dashboards in both Grafanas, apart from the charts' own. */
export const DASHBOARD_FOLDER = 'Compliant Kubernetes';

/**
 * Values for a Grafana chart's `sidecar.dashboards`: load the ConfigMaps labelled for it from
 * `namespaces` (the Grafana's own namespace when none: a ConfigMap elsewhere cannot add a dashboard),
 * each into the folder its annotation names, read-only in the UI.
 */
export function dashboardSidecarValues(namespaces: readonly string[] = []): JsonObject {
  return {
    enabled: true,
    label: DASHBOARD_LABEL,
    labelValue: DASHBOARD_LABEL_VALUE,
    ...(namespaces.length ? { searchNamespace: [...namespaces] } : {}),
    resource: 'configmap',
    folderAnnotation: DASHBOARD_FOLDER_ANNOTATION,
    provider: { foldersFromFilesStructure: true, allowUiUpdates: false },
  };
}

/** The ConfigMap name of a dashboard (its uid is `ck8s-<name>` and its file `<name>.json`). */
export const dashboardConfigMapName = (name: string) => `grafana-dashboard-${name}`;

/**
 * One dashboard as a ConfigMap for the sidecar: pretty-printed JSON, so a change of one panel is a
 * readable diff of a few lines in the pull request.
 */
export function dashboardConfigMap(component: string, namespace: string, name: string, model: JsonObject): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      ...meta(component, dashboardConfigMapName(name), namespace, { [DASHBOARD_LABEL]: DASHBOARD_LABEL_VALUE }),
      annotations: { [DASHBOARD_FOLDER_ANNOTATION]: DASHBOARD_FOLDER },
    },
    data: { [`${name}.json`]: `${JSON.stringify(model, null, 2)}\n` },
  };
}
