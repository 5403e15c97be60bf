/** One SMTP reply as a value: the basic code, the RFC 3463 enhanced code, and the text after both. */
export interface SmtpReply {
  code: number;
  enhanced: string;
  message: string;
}

export const reply = (code: number, enhanced: string, message: string): SmtpReply => ({
  code,
  enhanced,
  message,
});

export const isPositive = (answer: SmtpReply): boolean => answer.code < 400;

/** The reply text as smtp-server writes it after the code: enhanced codes are ours, never the library's. */
export const replyText = (answer: SmtpReply): string => `${answer.enhanced} ${answer.message}`;
