import type { ImportRowReason } from './rows.ts';

/**
 * What each refusal reason of the row report means, in Chinese (the downloaded report and the CLI) and
 * English. The web app has its own dictionary (web/src/i18n/modules/imports.ts) with the same keys.
 */
export const REASON_TEXT: Record<ImportRowReason, { zh: string; en: string }> = {
  required: { zh: '必填项为空', en: 'required value missing' },
  too_long: { zh: '内容过长', en: 'too long' },
  bad_format: { zh: '格式不正确', en: 'wrong format' },
  bad_check_digit: { zh: '校验位不正确', en: 'check character does not match' },
  bad_birth_date: { zh: '证件号码中的出生日期不存在', en: 'impossible birth date in the ID number' },
  bad_date: { zh: '日期不存在或格式不正确', en: 'not a real date' },
  date_order: { zh: '日期先后顺序不对', en: 'dates in the wrong order' },
  out_of_range: { zh: '数值超出范围或与其他字段矛盾', en: 'out of range or contradicts another field' },
  unknown_value: { zh: '不是允许的取值', en: 'not one of the allowed values' },
  bad_text: { zh: '含有控制字符或乱码', en: 'control characters or undecodable bytes' },
  bad_coordinates: { zh: '经纬度不正确', en: 'bad coordinates' },
  unparsable_address: {
    zh: '地址无法拆分为路/弄/号/幢/单元/室',
    en: 'address does not follow road/number/building/unit/room',
  },
  unknown_address: { zh: '标准地址库中没有该地址', en: 'no such standard address' },
  ambiguous_address: { zh: '地址匹配到多个标准地址', en: 'address matches several standard addresses' },
  no_dwelling: { zh: '该地址没有房屋信息', en: 'no dwelling at this address' },
  outside_street: { zh: '不在本街道范围内', en: 'outside the street of this import' },
  no_street: {
    zh: '无法确定所属街道（缺少坐标或街道）',
    en: 'no street: give coordinates or import for a street',
  },
  unknown_committee: { zh: '居委会不属于该街道', en: 'committee not in this street' },
  duplicate_in_file: { zh: '与文件中前面的行重复', en: 'duplicate of an earlier row of the file' },
  conflict: { zh: '与同时进行的修改冲突', en: 'conflicts with a change made at the same time' },
};

/** The Chinese description of a reason code (the code itself when unknown). */
export const reasonText = (reason: string, lang: 'zh' | 'en' = 'zh'): string =>
  (REASON_TEXT as Record<string, { zh: string; en: string }>)[reason]?.[lang] ?? reason;
