import type { LanguageCode } from '../../instruments/model/lang.js';

/**
 * The words of survey result exports (spreadsheet headers, the "Read me" sheet, the PDF), in the
 * reader's language. Figures that are withheld are always written in these words, never as numbers.
 */
export interface ExportWords {
  kinds: Record<string, string>;
  /** Canada names states and districts differently. */
  kindsCA: Record<string, string>;
  all: string;
  below: string;
  headers: { organisation: string; code: string; level: string; grouping: string; group: string; type: string; id: string; title: string; n: string; mean: string; favourable: string; share: (label: string) => string };
  types: { scale: string; item: string };
  sheets: { scales: string; items: string; readMe: string };
  fewerThan: (k: number) => string;
  withheld: string;
  /** Top/bottom-coded percentages in spreadsheets (any font shows these signs). */
  atMost: (v: number) => string;
  atLeast: (v: number) => string;
  /** The same in the PDF, whose built-in fonts lack ≤ and ≥. */
  atMostWords: (v: number) => string;
  atLeastWords: (v: number) => string;
  readMe: (x: { title: string; org: string; scope: string; k: string; generated: string; dates: string }) => string[];
  scopes: { org: string; org_and_below: string };
  pdf: {
    administration: string;
    respondents: string;
    headline: string;
    mean: string;
    trend: string;
    noTrend: string;
    items: string;
    groups: (label: string) => string;
    group: string;
    privacyTitle: string;
    privacy: (k: number) => string[];
    footer: (k: number, page: number) => string;
    answered: (n: string) => string;
  };
}

const en: ExportWords = {
  kinds: { network: 'Network', state: 'State', region: 'Region', district: 'District', school: 'School', partner: 'Partner' },
  kindsCA: { state: 'Province', district: 'School board' },
  all: 'All respondents',
  below: 'Organisation below',
  headers: { organisation: 'Organisation', code: 'Code', level: 'Level', grouping: 'Grouping', group: 'Group', type: 'Type', id: 'Id', title: 'Scale or question', n: 'n', mean: 'Mean', favourable: '% favourable', share: (l) => `% ${l}` },
  types: { scale: 'scale', item: 'question' },
  sheets: { scales: 'Scales', items: 'Questions', readMe: 'Read me' },
  fewerThan: (k) => `fewer than ${k}`,
  withheld: 'withheld',
  atMost: (v) => `≤${v}`,
  atLeast: (v) => `≥${v}`,
  atMostWords: (v) => `${v} % or less`,
  atLeastWords: (v) => `${v} % or more`,
  readMe: (x) => [
    `Survey results: ${x.title}`,
    `Organisation: ${x.org} (${x.scope}). ${x.dates}. Exported ${x.generated}.`,
    'Every figure in this file is exactly what you may see on screen, after the same privacy rules:',
    `• A group with fewer than k respondents (k = ${x.k}) shows "fewer than k" and no figures.`,
    '• "withheld": a group held back so that a small group cannot be worked out by subtracting shown figures from a total or from a parent organisation.',
    '• Percentages of groups under 40 respondents are shown as ≤5 or ≥95 at the extremes.',
    '• n: respondents with a score (scales) or with an answer on the scale (questions). Mean: the mean score as the survey scores it. % favourable: share of favourable answers. The other % columns: share in each band (scales) or at each answer (questions).',
    'Please do not combine this file with other exports to try to recover withheld figures.',
  ],
  scopes: { org: 'this organisation', org_and_below: 'this organisation and every one below it' },
  pdf: {
    administration: 'Survey',
    respondents: 'Respondents',
    headline: 'Scales: % favourable',
    mean: 'mean',
    trend: 'Trend: % favourable',
    noTrend: 'No earlier administration of this survey has results here.',
    items: 'Questions: share of each answer',
    groups: (l) => `By ${l.toLowerCase()}`,
    group: 'Group',
    privacyTitle: 'How privacy is protected',
    privacy: (k) => [
      `No figure describes fewer than ${k} respondents: a smaller group shows "fewer than ${k}" and nothing else.`,
      'Where a small group could be worked out by subtraction (from a total and its other groups, or from a parent organisation and its other members), the next smallest group is withheld too and shows "withheld".',
      'Percentages of groups under 40 respondents read "5 % or less" or "95 % or more" at the extremes.',
      'Answers are anonymous: no name, account or address is stored with any response.',
    ],
    footer: (k, p) => `Groups under ${k} respondents are not shown; some others are withheld so that they cannot be worked out. Page ${p}`,
    answered: (n) => `n = ${n}`,
  },
};

const fr: ExportWords = {
  kinds: { network: 'Réseau', state: 'État', region: 'Région', district: 'District scolaire', school: 'École', partner: 'Partenaire' },
  kindsCA: { state: 'Province', district: 'Conseil scolaire' },
  all: 'Tous les répondants',
  below: 'Organisation en dessous',
  headers: { organisation: 'Organisation', code: 'Code', level: 'Niveau', grouping: 'Regroupement', group: 'Groupe', type: 'Type', id: 'Identifiant', title: 'Échelle ou question', n: 'n', mean: 'Moyenne', favourable: '% favorable', share: (l) => `% ${l}` },
  types: { scale: 'échelle', item: 'question' },
  sheets: { scales: 'Échelles', items: 'Questions', readMe: 'À lire' },
  fewerThan: (k) => `moins de ${k}`,
  withheld: 'masqué',
  atMost: (v) => `≤${v}`,
  atLeast: (v) => `≥${v}`,
  atMostWords: (v) => `${v} % ou moins`,
  atLeastWords: (v) => `${v} % ou plus`,
  readMe: (x) => [
    `Résultats du questionnaire : ${x.title}`,
    `Organisation : ${x.org} (${x.scope}). ${x.dates}. Exporté le ${x.generated}.`,
    "Chaque chiffre de ce fichier est exactement ce que vous pouvez voir à l'écran, après les mêmes règles de confidentialité :",
    `• Un groupe de moins de k répondants (k = ${x.k}) affiche « moins de k » et aucun chiffre.`,
    '• « masqué » : un groupe retenu pour qu’un petit groupe ne puisse pas être retrouvé en soustrayant des chiffres affichés d’un total ou d’une organisation parente.',
    '• Les pourcentages des groupes de moins de 40 répondants sont affichés ≤5 ou ≥95 aux extrêmes.',
    '• n : répondants ayant un score (échelles) ou une réponse sur l’échelle (questions). Moyenne : le score moyen selon le questionnaire. % favorable : part des réponses favorables. Les autres colonnes % : part dans chaque niveau (échelles) ou à chaque réponse (questions).',
    "Merci de ne pas combiner ce fichier avec d'autres exportations pour tenter de retrouver des chiffres masqués.",
  ],
  scopes: { org: 'cette organisation', org_and_below: 'cette organisation et toutes celles en dessous' },
  pdf: {
    administration: 'Questionnaire',
    respondents: 'Répondants',
    headline: 'Échelles : % favorable',
    mean: 'moyenne',
    trend: 'Évolution : % favorable',
    noTrend: "Aucune passation antérieure de ce questionnaire n'a de résultats ici.",
    items: 'Questions : part de chaque réponse',
    groups: (l) => `Par ${l.toLowerCase()}`,
    group: 'Groupe',
    privacyTitle: 'Comment la confidentialité est protégée',
    privacy: (k) => [
      `Aucun chiffre ne décrit moins de ${k} répondants : un groupe plus petit affiche « moins de ${k} » et rien d'autre.`,
      "Là où un petit groupe pourrait être retrouvé par soustraction (d'un total et de ses autres groupes, ou d'une organisation parente et de ses autres membres), le groupe suivant le plus petit est aussi masqué et affiche « masqué ».",
      'Les pourcentages des groupes de moins de 40 répondants se lisent « 5 % ou moins » ou « 95 % ou plus » aux extrêmes.',
      "Les réponses sont anonymes : aucun nom, compte ni adresse n'est conservé avec une réponse.",
    ],
    footer: (k, p) => `Les groupes de moins de ${k} répondants ne sont pas affichés ; d'autres sont masqués pour qu'ils ne puissent pas être retrouvés. Page ${p}`,
    answered: (n) => `n = ${n}`,
  },
};

const es: ExportWords = {
  kinds: { network: 'Red', state: 'Estado', region: 'Región', district: 'Distrito escolar', school: 'Escuela', partner: 'Socio' },
  kindsCA: { state: 'Provincia', district: 'Junta escolar' },
  all: 'Todos los participantes',
  below: 'Organización dependiente',
  headers: { organisation: 'Organización', code: 'Código', level: 'Nivel', grouping: 'Agrupación', group: 'Grupo', type: 'Tipo', id: 'Identificador', title: 'Escala o pregunta', n: 'n', mean: 'Media', favourable: '% favorable', share: (l) => `% ${l}` },
  types: { scale: 'escala', item: 'pregunta' },
  sheets: { scales: 'Escalas', items: 'Preguntas', readMe: 'Léame' },
  fewerThan: (k) => `menos de ${k}`,
  withheld: 'reservado',
  atMost: (v) => `≤${v}`,
  atLeast: (v) => `≥${v}`,
  atMostWords: (v) => `${v} % o menos`,
  atLeastWords: (v) => `${v} % o más`,
  readMe: (x) => [
    `Resultados de la encuesta: ${x.title}`,
    `Organización: ${x.org} (${x.scope}). ${x.dates}. Exportado el ${x.generated}.`,
    'Cada cifra de este archivo es exactamente lo que puede ver en pantalla, tras las mismas reglas de privacidad:',
    `• Un grupo con menos de k participantes (k = ${x.k}) muestra «menos de k» y ninguna cifra.`,
    '• «reservado»: un grupo retenido para que un grupo pequeño no pueda deducirse restando cifras mostradas de un total o de una organización superior.',
    '• Los porcentajes de grupos de menos de 40 participantes se muestran como ≤5 o ≥95 en los extremos.',
    '• n: participantes con puntuación (escalas) o con respuesta en la escala (preguntas). Media: la puntuación media según la encuesta. % favorable: proporción de respuestas favorables. Las demás columnas %: proporción en cada nivel (escalas) o en cada respuesta (preguntas).',
    'No combine este archivo con otras exportaciones para intentar recuperar cifras reservadas.',
  ],
  scopes: { org: 'esta organización', org_and_below: 'esta organización y todas las que dependen de ella' },
  pdf: {
    administration: 'Encuesta',
    respondents: 'Participantes',
    headline: 'Escalas: % favorable',
    mean: 'media',
    trend: 'Tendencia: % favorable',
    noTrend: 'Ninguna aplicación anterior de esta encuesta tiene resultados aquí.',
    items: 'Preguntas: proporción de cada respuesta',
    groups: (l) => `Por ${l.toLowerCase()}`,
    group: 'Grupo',
    privacyTitle: 'Cómo se protege la privacidad',
    privacy: (k) => [
      `Ninguna cifra describe a menos de ${k} participantes: un grupo más pequeño muestra «menos de ${k}» y nada más.`,
      'Cuando un grupo pequeño podría deducirse por resta (de un total y sus otros grupos, o de una organización superior y sus otros miembros), el siguiente grupo más pequeño también se reserva y muestra «reservado».',
      'Los porcentajes de grupos de menos de 40 participantes se leen «5 % o menos» o «95 % o más» en los extremos.',
      'Las respuestas son anónimas: no se guarda ningún nombre, cuenta ni dirección con ninguna respuesta.',
    ],
    footer: (k, p) => `Los grupos de menos de ${k} participantes no se muestran; otros se reservan para que no puedan deducirse. Página ${p}`,
    answered: (n) => `n = ${n}`,
  },
};

export const exportWords: Record<LanguageCode, ExportWords> = { en, fr, es };

/** An organisation's level in the reader's words ("School board" in Canada). */
export function levelWord(w: ExportWords, kind: string, country: string | null): string {
  return (country === 'CA' ? w.kindsCA[kind] : undefined) ?? w.kinds[kind] ?? kind;
}
