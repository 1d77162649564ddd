/** English and boilerplate words that carry no signal in a code question. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing done down during each either else even ever every few for
from further get got had has have having he her here hers him his how however i if in into is it its itself
just let like may me might more most much must my no nor not now of off on once only or other our ours out
over own per same see seems she should since so some such than that the their theirs them then there these
they this those though through thus to too under until up upon us use used uses using very via want was we
well were what when where whether which while who whom why will with within without would yet you your
yours e g eg ie etc hi hello thanks thank please issue bug problem expected actual behavior behaviour
following example output code error works work working instead way something new one two also think need
currently possible make makes made case cases return returns self def class import none true false`
    .split(/\s+/)
    .filter(Boolean),
);
