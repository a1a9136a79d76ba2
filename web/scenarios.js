// scenarios.js: the sandbox scenarios the widget and the demo offer. Each
// is a /link/token/create body's auth switches, the bank (or typed routing
// number) and answers that lead through it, and what to type in Link. An
// embedded one starts on Embedded Institution Search's bank tiles
// (Plaid.createEmbedded) instead of Link's modal.
// Which flow each one gives is flowcore's decision, drawn by flowgraph.js.

export const scenarios = [
  { id: 'instant-auth', group: 'Flows', label: 'Instant Auth',
    entry: { institution_id: 'ins_109508' },
    steps: ['First Platypus Bank', 'user_good / pass_good'] },
  { id: 'instant-match', group: 'Flows', label: 'Instant Match',
    entry: { institution_id: 'ins_109512' },
    steps: ['Houndstooth Bank', 'user_good / pass_good', 'routing 021000021, the account\u2019s number (Plaid Checking: 1111222233330000)'] },
  { id: 'automated', group: 'Flows', label: 'Automated Micro-deposits',
    auth: { instant_match_enabled: false, automated_microdeposits_enabled: true },
    entry: { institution_id: 'ins_109512', password: 'microdeposits_good' },
    steps: ['Houndstooth Bank', 'user_good / microdeposits_good', 'routing 021000021, account 1111222233330000'] },
  { id: 'same-day', group: 'Flows', label: 'Same Day Micro-deposits',
    auth: { same_day_microdeposits_enabled: true },
    entry: { routing_number: '110000000' },
    steps: ['\u201cLink with account numbers\u201d', 'routing 110000000, account 1111222233330000', 'any name; the code ABC comes later'] },
  { id: 'instant-microdeposits', group: 'Flows', label: 'Instant Micro-deposits',
    entry: { institution_id: 'ins_135858' },
    steps: ['Windowpane Bank', 'account 1111222233330000, any name', 'code ABC'] },
  { id: 'auth-type-select', group: 'Flows', label: 'Auth Type Select',
    auth: { auth_type_select_enabled: true, same_day_microdeposits_enabled: true },
    entry: { institution_id: 'ins_109508' },
    steps: ['\u201cInstantly\u201d', 'First Platypus Bank', 'user_good / pass_good'] },
  { id: 'oauth', group: 'Flows', label: 'OAuth bank',
    entry: { institution_id: 'ins_127287' },
    steps: ['search \u201coauth\u201d: Platypus OAuth Bank', 'continue to the bank (a pop-up), then Approve'] },
  { id: 'embedded', group: 'Flows', label: 'Embedded Institution Search', embedded: true,
    entry: { institution_id: 'ins_109508', embedded: true },
    steps: ['the First Platypus Bank tile (Plaid.createEmbedded)', 'user_good / pass_good'] },
  { id: 'reroute', group: 'Flows', label: 'Reroute to Credentials',
    auth: { same_day_microdeposits_enabled: true, reroute_to_credentials: 'OPTIONAL' },
    entry: { routing_number: '011401533' },
    steps: ['\u201cLink with account numbers\u201d', 'routing 011401533 (First Platypus Bank\u2019s)', '\u201cContinue with account numbers\u201d, or log in'] },
  { id: 'database-insights', group: 'Flows', label: 'Database Insights',
    auth: { database_insights_enabled: true, instant_microdeposits_enabled: false },
    entry: { routing_number: '110000000', account_number: '1111222233331111' },
    steps: ['\u201cLink with account numbers\u201d', 'routing 110000000, account 1111222233331111', 'John Smith'] },
  { id: 'database-match', group: 'Flows', label: 'Database Match',
    auth: { database_match_enabled: true, same_day_microdeposits_enabled: true },
    entry: { routing_number: '110000000', account_number: '1111222233331111' },
    steps: ['\u201cLink with account numbers\u201d', 'routing 110000000, account 1111222233331111', 'John Smith'] },
  { id: 'mfa-device', group: 'MFA', label: 'MFA: code to a device',
    entry: { institution_id: 'ins_109508', password: 'mfa_device' },
    steps: ['First Platypus Bank', 'user_good / mfa_device', 'any device, code 1234'] },
  { id: 'mfa-questions', group: 'MFA', label: 'MFA: security question',
    entry: { institution_id: 'ins_109508', password: 'mfa_questions_1_1' },
    steps: ['First Platypus Bank', 'user_good / mfa_questions_1_1', 'answer_1_1'] },
  { id: 'mfa-selections', group: 'MFA', label: 'MFA: selection',
    entry: { institution_id: 'ins_109508', password: 'mfa_selections' },
    steps: ['First Platypus Bank', 'user_good / mfa_selections', 'Yes'] },
  { id: 'error-locked', group: 'Errors', label: 'Error: ITEM_LOCKED',
    entry: { institution_id: 'ins_109508', password: 'error_ITEM_LOCKED' },
    steps: ['First Platypus Bank', 'user_good / error_ITEM_LOCKED'] },
  { id: 'error-down', group: 'Errors', label: 'Error: INSTITUTION_DOWN',
    entry: { institution_id: 'ins_109508', password: 'error_INSTITUTION_DOWN' },
    steps: ['First Platypus Bank', 'user_good / error_INSTITUTION_DOWN'] },
  { id: 'not-supported', group: 'Errors', label: 'Error: no flow at the bank',
    auth: { instant_match_enabled: false },
    entry: { institution_id: 'ins_109512' },
    steps: ['Houndstooth Bank (Instant Match off)'] },
];

// tokenRequest is a scenario's /link/token/create body; appearanceMode
// (LIGHT, DARK or SYSTEM), when given, is its appearance_mode.
export function tokenRequest(sc, clientName, appearanceMode) {
  const body = {
    client_name: clientName || 'Linksim Demo App',
    language: 'en',
    country_codes: ['US'],
    user: { client_user_id: 'linksim-widget' },
    products: ['auth'],
    auth: Object.assign({}, sc.auth || {}),
  };
  if (appearanceMode) body.appearance_mode = appearanceMode;
  return body;
}

// graphRequest is the flowGraph body for a scenario.
export function graphRequest(sc, clientName) {
  return Object.assign({ config: tokenRequest(sc, clientName) }, sc.entry);
}

export function byID(id) {
  return scenarios.find((s) => s.id === id) || scenarios[0];
}
