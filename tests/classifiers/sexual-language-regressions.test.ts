import { describe, expect, it } from 'vitest';
import { getDefaultLexiconClassifier } from '../../src/classifiers/lexicon/index.js';
import { decideShipped } from '../support/shipped-policy-runtime.js';

/**
 * sexual.fr.json, sexual.es.json, sexual.pt.json (issue 12, decision quality): explicit sexual
 * words and porn-site phrases in French, Spanish and Portuguese, which no English term matched
 * (the OpenAI moderation rows hold porn spam in these languages). Words with an everyday sense —
 * "sexe"/"sexo" as a baby's sex, "baiser" as a kiss, "coger", "corrida" — are left out, and
 * education, health and the law lower the rest. Written for this test: none is a data row.
 */
const lexicon = getDefaultLexiconClassifier();
const sexual = (text: string): number => lexicon.scan(text).scores.sexual ?? 0;

describe('sexual: explicit French, Spanish and Portuguese text', () => {
  it.each([
    'Sexe gratuit avec une salope, vidéos porno et plan cul ce soir',
    'Deux mecs nus et une partouze filmée, fellation et sodomie',
    'chicas desnudas follando, videos porno gratis',
    'Mamadas y sexo anal con tetonas calientes',
    'videos porno de putaria com mulheres nuas',
    'ela adora foder e fazer boquete',
  ])('scores "%s" as sexual and routes it like adult content', async (text) => {
    expect(sexual(text)).toBeGreaterThanOrEqual(0.8);
    // Adult content: routed to the restricted model (or refused without verification), never the SFW one.
    const decision = await decideShipped('default', text);
    expect(decision.outcome === 'block' || decision.target !== 'sfw').toBe(true);
  });

  it.each([
    'Frères et soeurs : connaître le sexe de bébé à l’échographie',
    'Cours d’éducation sexuelle à l’école : ce que dit la loi',
    'El sexo del bebé se conoce en la ecografía',
    'La prevención de enfermedades: salud y prostitutas en la ley',
    'Prevenção de doenças: sexo seguro e saúde',
    'Un baiser sur la joue, une pipe de bruyère et un cul-de-sac',
  ])('keeps "%s" low', async (text) => {
    expect(sexual(text)).toBeLessThan(0.35);
    const decision = await decideShipped('default', text);
    expect(decision.outcome).not.toBe('block');
    expect(decision.target).toBe('sfw');
  });
});
