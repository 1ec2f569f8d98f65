// What every answer to a hostile body must be: a well-formed AdmissionReview response carrying the
// request's uid, or a 400 with a clear error body; never a 500, never JavaScript exception text.
export interface Answer {
  status: number;
  body: unknown;
}

const EXCEPTION_TEXT = /TypeError|RangeError|SyntaxError|ReferenceError|Maximum call stack|Cannot read propert|is not a function|is not iterable|undefined is not|\bat [\w.<>]+ \(|\.ts:\d+:\d+/;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** undefined when the answer is acceptable, else what is wrong with it. */
export function checkHostileAnswer(answer: Answer, uid: string | undefined): string | undefined {
  const text = JSON.stringify(answer.body) ?? '';
  if (EXCEPTION_TEXT.test(text)) return `exception text reaches the caller: ${text.slice(0, 300)}`;
  if (answer.status === 400) {
    const error = isRecord(answer.body) ? answer.body['error'] : undefined;
    if (!isRecord(error) || typeof error['code'] !== 'string' || typeof error['message'] !== 'string' || error['message'] === '') return `a 400 without an error code and message: ${text.slice(0, 300)}`;
    return undefined;
  }
  if (answer.status !== 200) return `HTTP ${answer.status}: ${text.slice(0, 300)}`;
  if (!isRecord(answer.body)) return 'a 200 whose body is not an object';
  const { apiVersion, kind, response } = answer.body;
  if (apiVersion !== 'admission.k8s.io/v1' && apiVersion !== 'admission.k8s.io/v1beta1') return `apiVersion ${String(apiVersion)}`;
  if (kind !== 'AdmissionReview' || !isRecord(response)) return 'not an AdmissionReview response';
  if (typeof response['uid'] !== 'string' || response['uid'] === '') return 'response without a uid';
  if (uid !== undefined && response['uid'] !== uid) return `uid ${String(response['uid'])} for request ${uid}`;
  if (typeof response['allowed'] !== 'boolean') return 'allowed is not a boolean';
  if (response['allowed'] === false) {
    const status = response['status'];
    if (!isRecord(status) || typeof status['message'] !== 'string' || status['message'] === '' || typeof status['code'] !== 'number') return 'a denial without a status code and message';
  }
  if (response['patch'] !== undefined) {
    if (response['patchType'] !== 'JSONPatch' || typeof response['patch'] !== 'string') return 'a patch without patchType JSONPatch';
    let operations: unknown;
    try {
      operations = JSON.parse(Buffer.from(response['patch'], 'base64').toString('utf8'));
    } catch {
      return 'the patch is not base64 JSON';
    }
    if (!Array.isArray(operations) || !operations.every((op) => isRecord(op) && typeof op['op'] === 'string' && typeof op['path'] === 'string')) return 'the patch is not a list of JSON Patch operations';
  }
  return undefined;
}

/** Object.prototype and friends must come out of every request exactly as they went in. */
export function prototypeSnapshot(): string {
  const names = (target: object) => Object.getOwnPropertyNames(target).sort().join(',');
  return [names(Object.prototype), names(Array.prototype), names(Function.prototype), String(({} as Record<string, unknown>)['polluted']), String(Object.getPrototypeOf({}) === Object.prototype)].join('|');
}
