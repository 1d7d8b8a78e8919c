/**
 * The `format` values worth asserting in Kubernetes schemas. int32/int64/double only restate the
 * type, and unknown formats are annotations (as in kubeconform), so only these two are checked.
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type FormatCheck = (value: string) => boolean;

export const FORMAT_CHECKS: Record<string, FormatCheck> = {
  'date-time': (v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))),
  // Secret.data and friends: the API server rejects anything that is not standard base64.
  // Go's decoder skips line breaks, so base64 wrapped over several lines is accepted too.
  byte: (v) => BASE64.test(v.indexOf('\n') >= 0 ? v.replace(/\r?\n/g, '') : v),
};
