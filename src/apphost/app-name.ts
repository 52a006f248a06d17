/**
 * The app's name on App Host: ours, not IBM's `fn_aws_guardduty`, so installing it upgrades nothing
 * of IBM's. It is also the tag every customization of the package carries (`app.json` `tag.name`,
 * and `{"tag_handle": APP_NAME}` in export.res), as `resilient-sdk package` writes both from setup.py's name.
 */
export const APP_NAME = 'guardduty_soar';
export const APP_DISPLAY_NAME = 'GuardDuty to SOAR (guardduty-soar)';
