/** Helpers shared by the tests (not exported from the package). */
import { sharedDir } from '@ck8s/testing';
import { sharedSchemaLocations } from './locations/template';
import type { ResourceResult, ValidateOptions } from './types';
import { validateDocuments } from './validate';

/** Options that validate against ../shared/schemas the way CI does. */
export function sharedOptions(extra: Partial<ValidateOptions> = {}): ValidateOptions {
  return { schemaLocations: sharedSchemaLocations(sharedDir()), strict: true, kubernetesVersion: '1.36.0', ...extra };
}

/** Validates one file's text with the builtin engine and returns its resources. */
export function check(content: string, extra: Partial<ValidateOptions> = {}, filename = 'clusters/x/y.yaml'): ResourceResult[] {
  return validateDocuments({ ...sharedOptions(extra), documents: [{ filename, content }] }).resources;
}

export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          imagePullPolicy: IfNotPresent
          ports:
            - containerPort: 8080
`;

export const HELM_RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: traefik
  namespace: flux-system
spec:
  interval: 10m
  chart:
    spec:
      chart: traefik
      version: 34.0.0
      sourceRef:
        kind: HelmRepository
        name: traefik
`;

export const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredLabels
      validation:
        openAPIV3Schema:
          type: object
          properties:
            message:
              type: string
            labels:
              type: array
              items:
                type: object
                properties:
                  key:
                    type: string
                  allowedRegex:
                    type: string
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8srequiredlabels
        violation[{"msg": msg}] { false }
`;

export function constraint(parameters: string, extraSpec = ''): string {
  return `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata:
  name: must-have-owner
spec:
  enforcementAction: deny
  match:
    kinds:
      - apiGroups: [""]
        kinds: ["Namespace"]
${extraSpec}  parameters:
${parameters}`;
}
