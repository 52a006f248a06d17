/** The CLI's exit codes: 0 done, 1 a runtime failure, 2 a bad configuration or usage, 3 restart me. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** `run` stopped because app.config changed: restart it to apply the new file (any restart policy does). */
export const EXIT_RESTART = 3;
