/** The regions tests use, defined once: Phoenix is the home region, Ashburn the other one. */
export const PHX = 'us-phoenix-1';
export const IAD = 'us-ashburn-1';
