// A stand-in for ms-python.python in Logit Lab's extension-host tests: the same API shape as
// @vscode/python-extension's PythonExtension (environments.getActiveEnvironmentPath and
// environments.resolveEnvironment), the "selected interpreter" being /usr/bin/python3. `calls`
// lets a test see that Logit Lab asked this API rather than a setting or PATH.
const vscode = require('vscode');

const SELECTED = '/usr/bin/python3';

function activate() {
  const api = {
    calls: { getActiveEnvironmentPath: 0, resolveEnvironment: 0 },
    environments: {
      getActiveEnvironmentPath(resource) {
        api.calls.getActiveEnvironmentPath++;
        api.lastResource = resource ? resource.toString() : undefined;
        return { id: SELECTED, path: SELECTED };
      },
      async resolveEnvironment(env) {
        api.calls.resolveEnvironment++;
        const path = typeof env === 'string' ? env : env.path;
        return { id: path, path, executable: { uri: vscode.Uri.file(path), bitness: '64-bit', sysPrefix: '/usr' }, version: undefined };
      },
    },
  };
  return api;
}

module.exports = { activate, deactivate() {} };
