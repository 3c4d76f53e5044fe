// Messages of the demo-realism work (issue 14 item 5, issue 11): kept in their own module so merges stay trivial.
export const demoliveZh = {
  'error.reason.stability_category_not_public':
    '矛盾纠纷、不稳定因素不能由市民直接上报：请选择其他类别或不选类别，由受理人员分类。',
} as const;

export const demoliveEn: Record<keyof typeof demoliveZh, string> = {
  'error.reason.stability_category_not_public':
    'Disputes and signs of unrest cannot be reported by the public: choose another category or none, and intake will categorise it.',
};
