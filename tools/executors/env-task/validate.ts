import { formatReport, validateEnvironment } from '@ck8s/checks';
import { envTask } from './run';

const task = envTask(async (root, o) => {
  const report = await validateEnvironment(root, o.environment);
  return { ok: report.ok, output: `${o.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n` };
});
export default task.single;
export const batch = task.batch;
