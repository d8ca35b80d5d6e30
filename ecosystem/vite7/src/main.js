import * as ticketwire from 'ticketwire';
import { runSmoke } from './page.mjs';

runSmoke(ticketwire);
