// One palette for states and deadline colours, shared by the map layers (which need literal colours);
// styles.css uses the same values for badges.
export const STATE_COLOURS: Record<string, string> = {
  reported: '#5f7388',
  verifying: '#7d5cb5',
  registered: '#2873b8',
  dispatched: '#0f8f9c',
  in_progress: '#c77c0e',
  suspended: '#8a8f96',
  handled: '#4f8f2f',
  checking: '#2f8068',
  resolved: '#276f3a',
  closed: '#47525d',
  rejected: '#a3acb5',
  cancelled: '#a3acb5',
};

export const DEADLINE_COLOURS = {
  green: '#2e9d57',
  yellow: '#d99a00',
  red: '#d64541',
  none: '#7b8794',
} as const;
