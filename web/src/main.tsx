import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// order matters: the responsive rules come last
import './styles/base.css';
import './styles/workbench.css';
import './styles/case.css';
import './styles/map.css';
import './styles/overview.css';
import './styles/pages.css';
import './styles/responsive.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
