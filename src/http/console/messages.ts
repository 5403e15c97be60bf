export const languages = ['en', 'ja'] as const;
export type Language = (typeof languages)[number];

const en = {
  serviceName: 'Email Delivery',
  skipToContent: 'Skip to content',
  signIn: 'Sign in',
  signInTitle: 'Sign in to Email Delivery',
  tenancy: 'Tenancy OCID',
  tenancyHint: 'Leave empty on a single-tenant server.',
  userName: 'User name',
  password: 'Password',
  signInFailed: 'The user name or password is wrong, or the account may not sign in now.',
  signInThrottled: 'Too many failed sign-ins. Try again in a few minutes.',
  signedOut: 'You have signed out.',
  sessionEnded: 'Your session ended. Sign in again.',
  signOut: 'Sign out',
  signedInAs: 'Signed in as',
  navigation: 'Navigation',
  region: 'Region',
  compartment: 'Compartment',
  change: 'Change',
  language: 'Language',
  approvedSenders: 'Approved Senders',
  suppressionList: 'Suppression List',
  emailConfiguration: 'Email Configuration',
  createApprovedSender: 'Create Approved Sender',
  emailAddress: 'Email address',
  create: 'Create',
  cancel: 'Cancel',
  close: 'Close',
  delete: 'Delete',
  search: 'Search',
  searchByEmail: 'Search by email address',
  sortBy: 'Sort by',
  sortAddressAsc: 'Email address (A–Z)',
  sortAddressDesc: 'Email address (Z–A)',
  sortNewest: 'Created (newest first)',
  sortOldest: 'Created (oldest first)',
  apply: 'Apply',
  state: 'State',
  created: 'Created',
  spf: 'SPF',
  select: 'Select',
  viewSpf: 'View SPF',
  nextPage: 'Next page',
  firstPage: 'First page',
  noSenders: 'No approved senders in this compartment.',
  senderCreated: 'The approved sender was created.',
  senderDeleted: 'The approved sender was deleted.',
  selectSenders: 'Tick one or more senders first.',
  manageSpf: 'Manage SPF',
  domain: 'Domain',
  spfPublished: 'Publishes an SPF record',
  spfAuthorizes: 'Authorizes this region',
  yes: 'Yes',
  no: 'No',
  currentRecord: 'Current record',
  recordForRegion: 'Record to publish for this region’s geography',
  recordForAll: 'Record to publish for all commercial regions',
  copy: 'Copy',
  copied: 'Copied',
  spfHelp:
    'Publish the record as a TXT record at the domain. Receivers then accept mail this service relays for it.',
  addSuppression: 'Add Suppression',
  reason: 'Reason',
  detail: 'Detail',
  noSuppressions: 'No suppressed addresses.',
  suppressionAdded: 'The address was added to the suppression list.',
  suppressionDeleted: 'The address was removed from the suppression list.',
  httpsEndpoint: 'HTTPS submit endpoint',
  smtpEndpoint: 'SMTP submit endpoint',
  smtpPorts: 'SMTP ports',
  localPorts: 'Local SMTP listeners',
  tlsRequired: 'TLS 1.2 or later is required; authenticate with SMTP credentials.',
  actions: 'Actions',
  notFound: 'Not found, or you may not see it.',
  forbiddenForm: 'This form expired or came from another site. Try again.',
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeQuestion: 'Stop mail from {sender} to {recipient}?',
  unsubscribeButton: 'Unsubscribe',
  unsubscribed: 'You are unsubscribed. No more mail from {sender} will reach {recipient}.',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

const ja: Messages = {
  serviceName: 'Email Delivery',
  skipToContent: '本文へ移動',
  signIn: 'サインイン',
  signInTitle: 'Email Delivery にサインイン',
  tenancy: 'テナンシ OCID',
  tenancyHint: 'シングルテナントのサーバーでは空欄のままにします。',
  userName: 'ユーザー名',
  password: 'パスワード',
  signInFailed: 'ユーザー名またはパスワードが正しくないか、現在サインインできないアカウントです。',
  signInThrottled: 'サインインの失敗が多すぎます。数分後にもう一度お試しください。',
  signedOut: 'サインアウトしました。',
  sessionEnded: 'セッションが終了しました。もう一度サインインしてください。',
  signOut: 'サインアウト',
  signedInAs: 'サインイン中のユーザー',
  navigation: 'ナビゲーション',
  region: 'リージョン',
  compartment: 'コンパートメント',
  change: '変更',
  language: '言語',
  approvedSenders: '承認済送信者',
  suppressionList: '抑制リスト',
  emailConfiguration: '電子メール構成',
  createApprovedSender: '承認済送信者の作成',
  emailAddress: '電子メール・アドレス',
  create: '作成',
  cancel: '取消',
  close: '閉じる',
  delete: '削除',
  search: '検索',
  searchByEmail: '電子メール・アドレスで検索',
  sortBy: 'ソート',
  sortAddressAsc: '電子メール・アドレス (A–Z)',
  sortAddressDesc: '電子メール・アドレス (Z–A)',
  sortNewest: '作成日 (新しい順)',
  sortOldest: '作成日 (古い順)',
  apply: '適用',
  state: '状態',
  created: '作成日',
  spf: 'SPF',
  select: '選択',
  viewSpf: 'SPFの表示',
  nextPage: '次のページ',
  firstPage: '最初のページ',
  noSenders: 'このコンパートメントに承認済送信者はありません。',
  senderCreated: '承認済送信者を作成しました。',
  senderDeleted: '承認済送信者を削除しました。',
  selectSenders: '先に送信者を1つ以上選択してください。',
  manageSpf: 'SPFの管理',
  domain: 'ドメイン',
  spfPublished: 'SPFレコードの公開',
  spfAuthorizes: 'このリージョンの許可',
  yes: 'はい',
  no: 'いいえ',
  currentRecord: '現在のレコード',
  recordForRegion: 'このリージョンの地域に公開するレコード',
  recordForAll: 'すべての商用リージョンに公開するレコード',
  copy: 'コピー',
  copied: 'コピーしました',
  spfHelp:
    'ドメインにTXTレコードとして公開します。受信側は、このサービスが中継するメールを受け入れるようになります。',
  addSuppression: '抑制の追加',
  reason: '理由',
  detail: '詳細',
  noSuppressions: '抑制されたアドレスはありません。',
  suppressionAdded: 'アドレスを抑制リストに追加しました。',
  suppressionDeleted: 'アドレスを抑制リストから削除しました。',
  httpsEndpoint: 'HTTPS送信エンドポイント',
  smtpEndpoint: 'SMTP送信エンドポイント',
  smtpPorts: 'SMTPポート',
  localPorts: 'ローカルSMTPリスナー',
  tlsRequired: 'TLS 1.2以上が必要です。SMTP資格証明で認証してください。',
  actions: 'アクション',
  notFound: '見つからないか、表示する権限がありません。',
  forbiddenForm: 'このフォームは期限切れか、別のサイトから送信されました。もう一度お試しください。',
  unsubscribeTitle: '配信停止',
  unsubscribeQuestion: '{sender} から {recipient} へのメールを停止しますか?',
  unsubscribeButton: '配信停止',
  unsubscribed: '配信を停止しました。{sender} から {recipient} へメールは届きません。',
};

export const messagesOf: Record<Language, Messages> = { en, ja };

/** The language a `lang` choice (cookie or query) names, else the first of `Accept-Language` we speak, else English. */
export function chooseLanguage(choice: string | undefined, acceptLanguage: string | undefined): Language {
  if (choice === 'en' || choice === 'ja') return choice;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? '1',
      );
      return { tag, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const primary = tag.split('-')[0];
    if (primary === 'ja' || primary === 'en') return primary;
  }
  return 'en';
}

/** A message with its `{name}` places filled in. */
export const fill = (text: string, values: Record<string, string>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
