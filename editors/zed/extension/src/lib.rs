//! Declares glm-lsp to Zed: which command starts it and which settings it receives.
//! Zed passes `lsp.glm-lsp.initialization_options` as `initializationOptions` and
//! `lsp.glm-lsp.settings` as the answer to `workspace/configuration`.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

const SERVER: &str = "glm-lsp";

struct GlmLsp;

impl zed::Extension for GlmLsp {
    fn new() -> Self {
        GlmLsp
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let configured = binary.as_ref().and_then(|binary| binary.path.clone());
        let command = configured
            .or_else(|| worktree.which(SERVER))
            .ok_or_else(|| {
                "glm-lsp is not on PATH: install it (see the glm-lsp README) or set \
                 lsp.glm-lsp.binary.path to its full path"
                    .to_string()
            })?;
        let args = binary
            .as_ref()
            .and_then(|binary| binary.arguments.clone())
            .unwrap_or_default();
        // The shell's environment carries GLM_API_KEY (or the provider's own variable).
        let mut env = worktree.shell_env();
        if let Some(extra) = binary.and_then(|binary| binary.env) {
            env.extend(extra);
        }
        Ok(zed::Command { command, args, env })
    }

    fn language_server_initialization_options(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|settings| settings.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|settings| settings.settings))
    }
}

zed::register_extension!(GlmLsp);
