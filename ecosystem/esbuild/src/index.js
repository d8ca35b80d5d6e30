import * as ticketwire from 'ticketwire/inline';
import { runSmoke } from './page.mjs';

runSmoke(ticketwire);
