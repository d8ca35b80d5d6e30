// The demo page's script: the packaged widget, as a site that bundles its own scripts embeds it.
import 'ticketwire/widget';
