using CollabVlm.Inference.Vlm;

namespace CollabVlm.Inference.Tests.Vlm;

public sealed class VlmPromptTests
{
    [Fact]
    public void Render_puts_the_images_then_the_question_in_the_SmolVLM_user_turn()
    {
        Assert.Equal("<|im_start|>User:<image>What is it?<end_of_utterance>\nAssistant:", Idefics3Prompt.Render("What is it?", 1));
        Assert.Equal("<|im_start|>User:<image><image>Q<end_of_utterance>\nAssistant:", Idefics3Prompt.Render("Q", 2));
    }

    [Fact]
    public void A_single_image_expands_to_one_global_block_of_image_seq_len_tokens()
    {
        var text = Idefics3Prompt.ExpandImages(Idefics3Prompt.Render("Q", 1), [(0, 0)], 3);
        Assert.Equal("<|im_start|>User:<fake_token_around_image><global-img><image><image><image><fake_token_around_image>Q<end_of_utterance>\nAssistant:", text);
    }

    [Fact]
    public void A_split_image_expands_to_its_tiles_row_by_row_then_the_global_block()
    {
        var text = Idefics3Prompt.ExpandImages("<image>", [(1, 2)], 1);
        Assert.Equal(
            "<fake_token_around_image><row_1_col_1><image><fake_token_around_image><row_1_col_2><image>\n\n" +
            "<fake_token_around_image><global-img><image><fake_token_around_image>", text);
    }

    [Fact]
    public void Expanding_refuses_a_prompt_whose_placeholders_do_not_match_the_images()
    {
        var e = Assert.Throws<ArgumentException>(() => Idefics3Prompt.ExpandImages("<image>", [(0, 0), (0, 0)], 4));
        Assert.Contains("1 <image> placeholders but 2 images", e.Message);
    }

    [Fact]
    public void A_chat_template_of_another_form_is_refused_naming_what_it_lacks()
    {
        var e = Assert.Throws<InvalidDataException>(() => Idefics3Prompt.CheckTemplate("{% for m in messages %}<|user|>{{m.content}}{% endfor %}"));
        Assert.Contains("<end_of_utterance>", e.Message);
        Idefics3Prompt.CheckTemplate(TinyVlm.ChatTemplate);
    }
}
