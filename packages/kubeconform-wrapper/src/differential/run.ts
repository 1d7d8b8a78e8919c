import { collectSources, parseSources } from '../inputs';
import type { ValidateOptions } from '../types';
import { validateDocuments } from '../validate';
import { compareResults, type Comparison } from './compare';
import { runRawKubeconform } from './raw-kubeconform';

export interface DifferentialOptions {
  /** The real kubeconform binary. */
  binary: string;
  /** Files or folders, read by both engines from disk. */
  inputs: string[];
  schemaLocations: string[];
  strict: boolean;
  kubernetesVersion: string;
  skip?: string[];
  reject?: string[];
  ignoreMissingSchemas?: boolean;
}

export interface DifferentialRun {
  comparisons: Comparison[];
  disagreements: Comparison[];
  /** Files where the two engines did not even find the same number of resources. */
  problems: string[];
}

/** Validates the same files with the builtin engine and the raw kubeconform binary (same flags) and compares. */
export function runDifferential(o: DifferentialOptions): DifferentialRun {
  const options: ValidateOptions = {
    inputs: o.inputs,
    schemaLocations: o.schemaLocations,
    strict: o.strict,
    kubernetesVersion: o.kubernetesVersion,
    skip: o.skip ?? [],
    reject: o.reject ?? [],
    ignoreMissingSchemas: o.ignoreMissingSchemas ?? false,
  };
  const builtin = validateDocuments(options).resources;
  const files = parseSources(collectSources(options).sources);
  // One worker: kubeconform then reports each file's resources in document order, which is how they are paired.
  const raw = runRawKubeconform(o.binary, o.inputs, {
    strict: o.strict,
    schemaLocations: o.schemaLocations,
    skip: o.skip ?? [],
    reject: o.reject ?? [],
    ignoreMissingSchemas: o.ignoreMissingSchemas ?? false,
    kubernetesVersion: o.kubernetesVersion,
    workers: 1,
  });
  const { comparisons, problems } = compareResults(files, builtin, raw);
  return { comparisons, disagreements: comparisons.filter((c) => !c.agree), problems };
}
