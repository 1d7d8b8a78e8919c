// Entry point of Pulumi.yaml: one stack per cluster, configured with `pulumi config set ck8s:<key> …`.
import { bootstrapFromConfig } from '../src/program';

export const { namespace, syncPath, gitUrl, gitBranch, fluxVersion, install, gotkSync, gitSecret, sopsSecret } = bootstrapFromConfig().outputs;
