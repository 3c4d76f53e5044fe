// Base information (一标三实) and the one-address file (一址一档), issue 12. Chinese first; baseinfoEn
// must have exactly the same keys.
export const baseinfoZh = {
  'error.reason.unknown_address': '没有这个标准地址。',
  'error.reason.address_outside_case_territory': '所选标准地址不在上报位置所在的街镇。',
} as const;

export const baseinfoEn: Record<keyof typeof baseinfoZh, string> = {
  'error.reason.unknown_address': 'There is no such standard address.',
  'error.reason.address_outside_case_territory':
    'The chosen address is not in the street of the reported location.',
};
