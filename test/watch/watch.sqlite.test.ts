/** The watch scenarios on the CLI's store (SQLite in a temporary file). */
import { tempStore } from './helpers';
import { watchScenarios } from './scenarios';

watchScenarios('SQLite', async () => tempStore());
