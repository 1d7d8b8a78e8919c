import { renderCommand } from '@ck8s/render';
import { envTask } from './run';

const task = envTask((root, o) => renderCommand(root, o.environment));
export default task.single;
export const batch = task.batch;
