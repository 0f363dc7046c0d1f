/**
 * User agents of known attack and key-validation tools, as data with the source of each entry. A match is a strong
 * signal, its absence proves nothing: every one of these tools can change its user agent.
 */

export interface AttackToolUserAgent {
  tool: string;
  /** How `value` is compared with the event's userAgent (always case-insensitive). */
  match: 'contains' | 'prefix' | 'equals';
  value: string;
  /** What the match means, in a responder's words. */
  meaning: string;
  /** Where the signature comes from. */
  sources: string[];
}

const PACU_SOURCE = 'https://github.com/RhinoSecurityLabs/pacu (user_agents.txt; pacu.py check_user_agent)';
const PACU_MEANING =
  'Pacu replaces a Kali/Parrot/Pentoo user agent with one of a fixed list of stale SDK user agents to hide from GuardDuty; this exact string is on that list';

/** Pacu's disguise list, minus the entries that are AWS service names (signin/console) seen in normal traffic. */
const PACU_DISGUISES = [
  'Boto3/1.7.62 Python/3.7.0 Windows/10 Botocore/1.10.62',
  'Boto3/1.7.48 Python/3.6.5 Windows/10 Botocore/1.10.48',
  'Boto3/1.7.24 Python/3.6.5 Windows/10 Botocore/1.10.24',
  'aws-cli/1.15.10 Python/2.7.9 Windows/8 botocore/1.10.10',
  'Boto3/1.7.24 Python/3.6.5 Windows/10 Botocore/1.10.24 Resource',
  'Boto3/1.7.24 Python/3.6.5 Darwin/16.7.0 Botocore/1.10.24',
  'Boto3/1.7.45 Python/3.6.5 Windows/10 Botocore/1.10.45',
  'Boto3/1.4.7 Python/2.7.0 Java/1.8.0_112 Botocore/1.7.21',
  'Boto3/1.7.30 Python/3.6.1 Linux/4.9.93-41.60.amzn1.x86_64 Botocore/1.10.30',
  'Boto3/1.7.14 Python/3.6.1 Linux/4.9.93-41.60.amzn1.x86_64 Botocore/1.10.14',
  'Boto3/1.5.8 Python/3.6.5 Windows/10 Botocore/1.10.4',
  'Boto3/1.5.8 Python/3.6.3 Windows/10 Botocore/1.8.22',
  'aws-sdk-go/1.4.22 (go1.7.4; linux; amd64)',
  'aws-sdk-go/1.4.10 (go1.7.4; linux; amd64)',
  'aws-sdk-go/1.4.10 (go1.8.3; linux; amd64)',
  'aws-sdk-go/1.13.32 (go1.9.2; darwin; amd64) APN/1.0 HashiCorp/1.0 Terraform/0.11.7',
  'aws-sdk-java/2.0.0-preview-9-SNAPSHOT Mac_OS_X/10.11.6 Java_HotSpot_TM__64-Bit_Server_VM/25.151-b12 Java/1.8.0_151',
  'Boto3/1.7.62 Python/3.5.2 Linux/4.4.0-130-generic Botocore/1.10.62',
  'aws-sdk-go/1.1.0 (go1.5.2; darwin; amd64)',
  'aws-sdk-go/1.1.2 (go1.6; darwin; amd64) terraform/0.6.13',
  'APN/1.0 HashiCorp/1.0 Terraform/0.7.9',
];

const GUARDDUTY_PENTEST =
  'https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html (PenTest:IAMUser/KaliLinux, ParrotLinux, PentooLinux)';

export const ATTACK_TOOL_USER_AGENTS: readonly AttackToolUserAgent[] = [
  {
    tool: 'Endgame',
    match: 'contains',
    value: 'HotDogsAreSandwiches',
    meaning: 'the default user agent of Endgame, a tool that backdoors resource policies (KMS key policies included)',
    sources: [
      'https://github.com/salesforce/endgame (endgame/shared/constants.py USER_AGENT_INDICATOR)',
      'https://endgame.readthedocs.io/en/latest/detection/',
    ],
  },
  {
    tool: 'Stratus Red Team',
    match: 'prefix',
    value: 'stratus-red-team_',
    meaning: 'an attack technique detonated by Stratus Red Team (authorised testing, or an attacker reusing it)',
    sources: ['https://github.com/DataDog/stratus-red-team (docs/detonation-logs)'],
  },
  {
    tool: 'TruffleHog',
    match: 'contains',
    value: 'TruffleHog',
    meaning: 'TruffleHog validating a found key (usually GetCallerIdentity): the key is known to a secret scanner',
    sources: [
      'https://github.com/SigmaHQ/sigma rules/cloud/aws/cloudtrail/aws_sts_getcalleridentity_trufflehog.yml',
      'https://github.com/SigmaHQ/sigma rules/cloud/aws/cloudtrail/aws_cloudtrail_pua_trufflehog.yml',
    ],
  },
  {
    tool: 'S3 Browser',
    match: 'contains',
    value: 'S3 Browser',
    meaning: 'S3 Browser, a desktop client threat actors use with stolen keys to create users and keys',
    sources: [
      'https://github.com/SigmaHQ/sigma rules/cloud/aws/cloudtrail/aws_iam_s3browser_user_or_accesskey_creation.yml',
    ],
  },
  ...['kali', 'parrot', 'pentoo'].map(
    (distro): AttackToolUserAgent => ({
      tool: `${distro[0]?.toUpperCase()}${distro.slice(1)} Linux`,
      match: 'contains',
      value: distro,
      meaning: `an SDK or CLI running on ${distro} Linux, a penetration-testing distribution (GuardDuty raises a PenTest finding for it)`,
      sources: [GUARDDUTY_PENTEST, PACU_SOURCE],
    }),
  ),
  ...PACU_DISGUISES.map(
    (value): AttackToolUserAgent => ({
      tool: 'Pacu',
      match: 'equals',
      value,
      meaning: PACU_MEANING,
      sources: [PACU_SOURCE],
    }),
  ),
];

const matches = (signature: AttackToolUserAgent, userAgent: string): boolean => {
  const agent = userAgent.toLowerCase();
  const value = signature.value.toLowerCase();
  if (signature.match === 'equals') return agent === value;
  if (signature.match === 'prefix') return agent.startsWith(value);
  return agent.includes(value);
};

/** The attack tool an event's user agent names, if any. */
export const matchAttackTool = (userAgent: string | null | undefined): AttackToolUserAgent | undefined => {
  if (!userAgent) return undefined;
  return ATTACK_TOOL_USER_AGENTS.find((signature) => matches(signature, userAgent));
};
