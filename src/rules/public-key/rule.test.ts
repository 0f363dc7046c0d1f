import { runRuleCases } from '../../../test/rules/run-cases';
import { rule } from './rule';

runRuleCases(rule, import.meta.dirname);
