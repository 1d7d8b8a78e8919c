import { driftCommand } from '@ck8s/render';
import { envTask } from './run';

const task = envTask((root, o) => driftCommand(root, o.environment));
export default task.single;
export const batch = task.batch;
