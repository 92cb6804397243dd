using System.Text;

namespace CollabVlm.Inference.Vlm;

/// <summary>
/// Builds the prompt text the Idefics3 / SmolVLM processor builds: the chat template's single user
/// turn with one <c>&lt;image&gt;</c> per image, then each <c>&lt;image&gt;</c> expanded into its tiles'
/// blocks of <c>image_seq_len</c> image tokens wrapped in <c>&lt;fake_token_around_image&gt;</c>,
/// <c>&lt;row_r_col_c&gt;</c> and <c>&lt;global-img&gt;</c>.
/// </summary>
/// <remarks>
/// The chat template is Jinja; rather than interpret Jinja this class renders the one message shape
/// the backend sends (user turn: images then text, generation prompt on) in the SmolVLM template's
/// form, and <see cref="CheckTemplate"/> refuses a model whose template lacks that form's markers.
/// </remarks>
public static class Idefics3Prompt
{
    public const string Image = "<image>";
    public const string FakeTokenAroundImage = "<fake_token_around_image>";
    public const string GlobalImage = "<global-img>";

    /// <summary>The markers of the SmolVLM template's form; a template without all of them is not supported.</summary>
    public static readonly string[] TemplateMarkers = ["<|im_start|>", "<end_of_utterance>", "Assistant:", "<image>"];

    /// <summary>Reads the chat template (chat_template.json, chat_template.jinja or tokenizer_config.json) and checks its form.</summary>
    public static string LoadTemplate(string directory)
    {
        string? template = null;
        var json = Path.Combine(directory, "chat_template.json");
        var jinja = Path.Combine(directory, "chat_template.jinja");
        var tokenizerConfig = Path.Combine(directory, "tokenizer_config.json");
        if (File.Exists(json)) template = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json))?["chat_template"]?.GetValue<string>();
        else if (File.Exists(jinja)) template = File.ReadAllText(jinja);
        if (template is null && File.Exists(tokenizerConfig))
            template = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(tokenizerConfig))?["chat_template"]?.GetValue<string>();
        if (template is null)
            throw new InvalidDataException($"VLM model folder {directory} has no chat template (chat_template.json, chat_template.jinja or tokenizer_config.json chat_template)");
        CheckTemplate(template);
        return template;
    }

    public static void CheckTemplate(string template)
    {
        var missing = TemplateMarkers.Where(m => !template.Contains(m, StringComparison.Ordinal)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"chat template not supported: the backend builds prompts in the Idefics3/SmolVLM form " +
                $"\"<|im_start|>User:<image>…question<end_of_utterance>\\nAssistant:\", and this template lacks {string.Join(", ", missing)}");
    }

    /// <summary>The chat template rendered for one user turn holding <paramref name="imageCount"/> images then the question.</summary>
    public static string Render(string question, int imageCount)
    {
        var sb = new StringBuilder("<|im_start|>User");
        // The template writes ':' after the role when the turn starts with an image, ': ' otherwise.
        sb.Append(imageCount > 0 ? ":" : ": ");
        for (var i = 0; i < imageCount; i++) sb.Append(Image);
        sb.Append(question).Append("<end_of_utterance>\nAssistant:");
        return sb.ToString();
    }

    /// <summary>
    /// Replaces the i-th <c>&lt;image&gt;</c> with image i's token blocks: with tiles (rows × cols &gt; 0)
    /// one block per tile row by row, a newline after each row, then the global block; without, the
    /// global block alone. Each block holds <paramref name="imageSeqLen"/> image tokens.
    /// </summary>
    public static string ExpandImages(string prompt, IReadOnlyList<(int Rows, int Cols)> grids, int imageSeqLen)
    {
        var parts = prompt.Split(Image);
        if (parts.Length - 1 != grids.Count)
            throw new ArgumentException($"the prompt has {parts.Length - 1} {Image} placeholders but {grids.Count} images were given");
        var sb = new StringBuilder(parts[0]);
        var tokens = string.Concat(Enumerable.Repeat(Image, imageSeqLen));
        for (var i = 0; i < grids.Count; i++)
        {
            var (rows, cols) = grids[i];
            if (rows > 0 && cols > 0)
            {
                for (var r = 1; r <= rows; r++)
                {
                    for (var c = 1; c <= cols; c++)
                        sb.Append(FakeTokenAroundImage).Append($"<row_{r}_col_{c}>").Append(tokens);
                    sb.Append('\n');
                }
                sb.Append('\n');
            }
            sb.Append(FakeTokenAroundImage).Append(GlobalImage).Append(tokens).Append(FakeTokenAroundImage);
            sb.Append(parts[i + 1]);
        }
        return sb.ToString();
    }
}
