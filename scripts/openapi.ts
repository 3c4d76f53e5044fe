import fs from 'node:fs';
import {
  CLIENT_TYPES_FILE,
  CONTRACT_FILE,
  clientTypesText,
  contractText,
  generateContract,
} from '../src/server/contract.ts';

// `npm run openapi`: writes the contract the server generates and the web client's types from it.
const document = await generateContract();
fs.writeFileSync(CONTRACT_FILE, contractText(document));
fs.writeFileSync(CLIENT_TYPES_FILE, await clientTypesText(document));
console.log(`wrote ${CONTRACT_FILE} and ${CLIENT_TYPES_FILE}`);
