// snn_mux_tree: entry `sel` of N words, chosen sixteen to one a level (a LUT6 and the slice's
// MUXF7 and MUXF8), each level registered: y is x[sel] LEVELS clocks after x and sel, for
// N up to 16^LEVELS. Moves every clock (a host's read path, not the datapath's enable).
`default_nettype none
module snn_mux_tree #(
    parameter N      = 16,
    parameter WIDTH  = 8,
    parameter SEL_W  = 4,
    parameter LEVELS = 1
) (
    input  wire                 clk,
    input  wire [SEL_W-1:0]     sel,
    input  wire [N*WIDTH-1:0]   x,
    output wire [WIDTH-1:0]     y
);
    localparam SEL_PAD = 4 * LEVELS;
    // Word offset of level l in `words`: level l holds 16^(LEVELS-l) words (level 0 is the
    // input, padded with zeros; level LEVELS is y).
    function integer offset(input integer level);
        integer k;
        begin
            offset = 0;
            for (k = 0; k < level; k = k + 1) offset = offset + (1 << (4 * (LEVELS - k)));
        end
    endfunction
    localparam TOTAL = offset(LEVELS + 1);
    wire [TOTAL*WIDTH-1:0] words;
    // The select as each level sees it (level l uses bits [4l +: 4]).
    wire [(LEVELS+1)*SEL_PAD-1:0] selects;
    assign words[0 +: (1 << (4 * LEVELS))*WIDTH] = {{((1 << (4 * LEVELS)) * WIDTH - N * WIDTH){1'b0}}, x};
    assign selects[0 +: SEL_PAD] = {{(SEL_PAD - SEL_W){1'b0}}, sel};
    genvar l, g, b, k;
    generate
        for (l = 1; l <= LEVELS; l = l + 1) begin : level
            localparam integer WORDS = 1 << (4 * (LEVELS - l));
            reg [WORDS*WIDTH-1:0] chosen;
            reg [SEL_PAD-1:0] select;
            initial begin
                chosen = {(WORDS*WIDTH){1'b0}};
                select = {SEL_PAD{1'b0}};
            end
            wire [16*WORDS*WIDTH-1:0] below = words[offset(l - 1)*WIDTH +: 16*WORDS*WIDTH];
            wire [SEL_PAD-1:0] select_below = selects[(l - 1)*SEL_PAD +: SEL_PAD];
            wire [3:0] pick = select_below[4*(l-1) +: 4];
            // Bit b of a group's sixteen words as one column, indexed by the pick: a
            // sixteen-to-one multiplexer per bit (an index scaled by WIDTH would be an adder).
            for (g = 0; g < WORDS; g = g + 1) begin : group
                for (b = 0; b < WIDTH; b = b + 1) begin : column
                    wire [15:0] bits;
                    for (k = 0; k < 16; k = k + 1) begin : word
                        assign bits[k] = below[WIDTH*(16*g + k) + b];
                    end
                    always @(posedge clk) chosen[WIDTH*g + b] <= bits[pick];
                end
            end
            always @(posedge clk) select <= select_below;
            assign words[offset(l)*WIDTH +: WORDS*WIDTH] = chosen;
            assign selects[l*SEL_PAD +: SEL_PAD] = select;
        end
    endgenerate
    assign y = words[offset(LEVELS)*WIDTH +: WIDTH];
    // The select bits after the last level are unused by construction.
    wire unused_select = &{1'b0, selects[LEVELS*SEL_PAD +: SEL_PAD]};
endmodule
`default_nettype wire
