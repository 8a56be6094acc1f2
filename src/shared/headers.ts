/** Header on every message deskhand sends: lets triage recognise our own mail (loop guard). */
export const OWN_MAIL_HEADER = 'X-Deskhand-Id';
