/**
 * Checks a form's action body against its published schema (`<Action>ActionBody` in the committed
 * openapi.json). Its own module, loaded with the case page: the contract is large and the first page
 * load does not need it.
 */
import { components as contract } from './openapi.json';
import { actionBodyChecker } from './validate';

export const actionBodyProblems = actionBodyChecker(contract.schemas);
